import StackplayCLI
print("stackplay")

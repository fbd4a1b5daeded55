import Balancer
print("stackplay-balancer")

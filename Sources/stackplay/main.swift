import StackplayCLI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

exit(await StackplayMain.run(Array(CommandLine.arguments.dropFirst())))

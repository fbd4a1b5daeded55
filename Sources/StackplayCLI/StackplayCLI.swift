/// The ansible-playbook-compatible command line.
import ArgumentParser
import Engine
public enum StackplayCLI {}

/// Variables, strategies, handlers, task execution and output callbacks.
public enum Engine {}

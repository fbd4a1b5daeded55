/// The SwiftNIO HTTP/1.1 load balancer.
import NIOCore
public enum Balancer {}

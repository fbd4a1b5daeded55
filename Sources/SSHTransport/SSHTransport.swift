/// libssh sessions, one per host on its own thread, exposed as a ModuleAPI Connection.
import CLibSSH
import ModuleAPI
public enum SSHTransport {}

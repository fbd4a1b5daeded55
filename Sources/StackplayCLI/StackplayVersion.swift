/// The version banner `--version` prints.
enum StackplayVersion {
    static let number = "0.1.0"
    static let text = """
        stackplay \(number)
          compatible with ansible-core 2.21 playbooks, inventories and Jinja2 templates
          no Python required
        """
}

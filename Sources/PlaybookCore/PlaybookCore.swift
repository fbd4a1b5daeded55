/// The playbook model, YAML loading with source locations, inventory, configuration and vault.
public enum PlaybookCore {}

"""The application layer: one function per use case, called the same way by the pages, the JSON
API, the workers and the CLI. A use case takes an actor and a command or query, authorizes it
(domain.shared.access), scopes the transaction (tenant, or a reviewer's read-only province
scope), loads / decides / saves, queues side effects and reads the read models. It imports no
web, task or template framework (checked by import-linter)."""

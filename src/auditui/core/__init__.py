"""The headless core: loading, parsing, rules, audit log. Never imports textual."""

"""The deadline grammar: when a leader's words say a task is due."""

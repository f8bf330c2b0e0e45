"""Reading members' replies: acknowledgement, refusal, question, plan."""

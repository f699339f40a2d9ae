"""Layout + records → pages of positioned items: every placement decision, made once for every writer."""

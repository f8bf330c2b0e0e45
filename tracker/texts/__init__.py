"""Every Chinese sentence the product writes, one module per surface."""

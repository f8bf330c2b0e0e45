"""How the product is started: the bot, the command line, the replay."""

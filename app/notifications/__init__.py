"""Messages to shoppers: mini-program subscribe messages."""

"""formgen serve: the local web page where a clerk does every job without a command line."""

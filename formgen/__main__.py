"""python -m formgen"""
import sys

from formgen.cli import main

if __name__ == "__main__":  # worker processes (spawned, as on Windows) import this module without running it
    sys.exit(main())

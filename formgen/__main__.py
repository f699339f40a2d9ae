"""python -m formgen"""
import sys

from formgen.cli import main

sys.exit(main())

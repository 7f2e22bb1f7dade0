"""Allow ``python -m c4h``."""

from c4h.cli import main

raise SystemExit(main())

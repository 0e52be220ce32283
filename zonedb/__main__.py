from zonedb.cli import main

main()

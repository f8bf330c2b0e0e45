from tracker.entrypoints.cli.app import main

main()

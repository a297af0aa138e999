from mango.cli import main

main()

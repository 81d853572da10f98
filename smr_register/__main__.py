from smr_register.cli import main

main()

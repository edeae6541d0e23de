// The entry point is the argument parser's root command; see Astrolabe.swift.
Astrolabe.main()

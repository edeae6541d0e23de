import AstrolabeKernel
print("astrolabe")

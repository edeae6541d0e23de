import AstrolabeKernel
import AstrolabeServe

// `serve labelstudio` runs Hummingbird from AstrolabeServe; the kernel only knows the protocol.
Session.labelStudioServer = LabelStudioServer()
// The entry point is the argument parser's root command; see Astrolabe.swift.
Astrolabe.main()

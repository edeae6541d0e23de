import AstrolabeData
import AstrolabePlot
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let cutouts: [Verb] = [
        Verb("image", usage: "image ID [column=PATH_COLUMN | file=FITS | survey=HIPS_ID] [fov=20arcsec] [size=128] [stretch=asinh|zscale|linear] [to=PATH]",
             summary: "Show a cutout of one row's source: from a FITS/PNG/JPEG path in a column, one FITS image, or a HiPS survey.",
             details: """
                 column= names a column of image paths: a FITS image with a celestial WCS is cut around the row's
                 position (RA/Dec in degrees from ra= and dec=, else columns named ra/RAJ2000/… and dec/DEJ2000/…), a
                 FITS image without one is shown whole, as is a PNG or JPEG. file= cuts every row from one FITS image
                 by its WCS (wcslib). survey= asks CDS's hips2fits service for a FITS cutout of that HiPS survey
                 (default CDS/P/DSS2/red) at the row's position; each answer is kept under .astrolabe/cutouts/
                 (by survey, position, fov and size), so a replay needs no network. A fetch that fails or times out
                 (ASTROLABE_CUTOUT_TIMEOUT seconds, default 10; ASTROLABE_OFFLINE=1 never fetches) gives a grey tile
                 and a warning. FITS pixels are stretched as astropy.visualization does: asinh (ZScaleInterval then
                 AsinhStretch), zscale (ZScaleInterval, linear) or linear (min to max).
                 The settings are remembered for the table: `query M N images=yes` draws its tiles with them.
                 example: image "4FGL J0001.2+4741" survey=CDS/P/DSS2/red fov=1arcmin
                 example: image 12 file=Samples/m13.fits fov=40arcsec stretch=zscale
                 """,
             options: [.column("column", "column of FITS/PNG/JPEG paths"), .path("file", "one FITS image with a WCS for every row"),
                       .text("survey", "HiPS id for hips2fits, e.g. CDS/P/DSS2/red"),
                       .text("fov", "field of view: 20arcsec (default), 1.5arcmin, 0.01deg"), .int("size", 16...1024, default: 128, "tile side in pixels"),
                       .choice("stretch", Stretch.self, default: .asinh, "asinh (default), zscale or linear"), .column("ra", "right ascension column (degrees)"),
                       .column("dec", "declination column (degrees)"), .path("to", "output PNG (default plots/cutout-N.png)")],
             arguments: [.id],
             // It remembers its settings for `query … images=yes` (as query remembers show=): nothing a replay needs.
             provenance: .writesFiles, run: Session.image),
        Verb("sed", usage: "sed bands=COL:WAVELENGTH,... [err=COL,...] [unit=ABmag|Jy|mJy] | sed",
             summary: "Declare which columns are the table's photometry, for `plot sed` and `query … sed=yes`.",
             details: """
                 Each band is a column and its wavelength (354nm, 1.25um, 3540A); err= gives one error column per band,
                 in the same order. unit= says what the columns hold: AB magnitudes (default), Jy or mJy. Magnitudes
                 become f_ν = 10^(-0.4 (m + 48.60)) erg s⁻¹ cm⁻² Hz⁻¹ (astropy's ABmag); an error σ spans the fluxes
                 of m ± σ. Declared once per table; `save session` keeps it. `sed` alone shows the declaration.
                 example: sed bands=u:354nm,g:477nm,r:623nm,i:763nm,z:913nm err=eu,eg,er,ei,ez unit=ABmag
                 """,
             options: [.text("bands", "COLUMN:WAVELENGTH pairs, comma-separated"), .columns("err", "error columns, one per band"),
                       .choice("unit", SpectralFlux.Unit.self, default: .ABmag, "ABmag (default), Jy or mJy")],
             provenance: .keptInState, run: Session.sed),
    ]
}

/// A rendered tile and what to tell the user about it.
struct CutoutTile {
    var image: RGBAImage
    var note: String
    var warning: String?
}

/// `image ID ...`: one cutout, and the settings `query … images=yes` reuses.
extension Session {
    func image(_ command: ParsedCommand) throws -> [Output] {
        guard let idWord = command.positionals.first else {
            throw CommandError("expected a row id: image ID [column=… | file=… | survey=…]", offset: command.verb.offset + command.verb.length, length: 1)
        }
        let table = try currentTable(for: command.verb)
        let row = try rowIndex(idWord, in: table)
        let spec = try cutoutSpec(command, table: table)
        let tile = try cutoutTile(spec, table: table, row: row, id: idWord.text)
        cutouts.specs[cutoutTable(table)] = spec
        figureCount += 1
        let toWord = command.optionEntry("to")?.value
        let path = toWord?.text ?? "plots/cutout-\(figureCount).png"
        guard (path as NSString).pathExtension.lowercased() == "png" else {
            throw CommandError("cutouts are written as PNG: use a path ending in .png", at: toWord ?? command.verb)
        }
        let png = try PNGEncoder.encode(tile.image, dpi: 100, text: [(key: "Software", value: "Astrolabe"),
                                                                   (key: "Description", value: command.line.trimmingCharacters(in: .whitespacesAndNewlines))])
        try writeFile(png, to: path, word: toWord ?? command.verb)
        var outputs: [Output] = [.image(PNGImage(bytes: png, path: path, width: tile.image.width, height: tile.image.height)),
                                 .text(tile.note)]
        if let warning = tile.warning { outputs.append(.warning(warning)) }
        return outputs
    }

    /// The options of `image` over the table's earlier settings (or the default survey when the
    /// table has positions).
    func cutoutSpec(_ command: ParsedCommand, table: Table) throws -> CutoutSpec {
        let sources = ["column", "file", "survey"].compactMap { command.optionEntry($0) }
        if sources.count > 1 {
            throw CommandError("give one of column=, file= or survey=", offset: sources[1].keyOffset, length: sources[1].key.count)
        }
        var spec: CutoutSpec
        if let given = sources.first {
            switch given.key {
            case "column":
                let name = columnName(given.value)
                guard table.column(named: name) != nil else { throw CommandError(table.unknownColumnError(name).message, at: given.value) }
                spec = CutoutSpec(source: .column(name))
            case "file": spec = CutoutSpec(source: .file(given.value.text))
            default: spec = CutoutSpec(source: .survey(given.value.text))
            }
            if let old = cutouts.specs[cutoutTable(table)] { (spec.fovArcsec, spec.size, spec.stretch, spec.ra, spec.dec) = (old.fovArcsec, old.size, old.stretch, old.ra, old.dec) }
        } else if let old = cutouts.specs[cutoutTable(table)] {
            spec = old
        } else if skyColumns(table, spec: nil) != nil {
            spec = CutoutSpec(source: .survey(HiPSCutout.defaultSurvey))
        } else {
            throw CommandError("\(table.name) has no RA/Dec columns: give column=PATH_COLUMN (image files), or ra= and dec= with file= or survey=",
                               offset: command.verb.offset, length: command.verb.length)
        }
        if let o = command.optionEntry("fov") {
            guard let fov = Self.angleArcsec(o.value.text) else {
                throw CommandError("fov= expects an angle such as 20arcsec, 1.5arcmin or 0.01deg", at: o.value)
            }
            spec.fovArcsec = fov
        }
        if let o = command.optionEntry("size") {
            guard let size = Int(o.value.text), (16...1024).contains(size) else { throw CommandError("size= expects 16 to 1024 pixels", at: o.value) }
            spec.size = size
        }
        if let o = command.optionEntry("stretch") {
            guard let stretch = Stretch(rawValue: o.value.text) else {
                throw CommandError("stretch= expects asinh, zscale or linear", at: o.value,
                                   suggestion: nearestName(to: o.value.text, in: Stretch.allCases.map(\.rawValue)))
            }
            spec.stretch = stretch
        }
        for key in ["ra", "dec"] {
            guard let o = command.optionEntry(key) else { continue }
            let name = columnName(o.value)
            guard table.column(named: name)?.isNumeric == true else {
                throw CommandError(table.column(named: name) == nil ? table.unknownColumnError(name).message : "`\(name)` is not numeric", at: o.value)
            }
            if key == "ra" { spec.ra = name } else { spec.dec = name }
        }
        return spec
    }

    /// `20arcsec`, `1.5arcmin`, `0.01deg` or a bare number of arcseconds, as arcseconds (> 0).
    static func angleArcsec(_ text: String) -> Double? {
        let units: [(String, Double)] = [("arcsec", 1), ("arcmin", 60), ("deg", 3600), ("\"", 1), ("'", 60)]
        var number = text, scale = 1.0
        for (unit, factor) in units where text.hasSuffix(unit) { number = String(text.dropLast(unit.count)); scale = factor; break }
        guard let value = Double(number), value.isFinite, value > 0 else { return nil }
        return value * scale
    }

    /// The RA and Dec columns: the spec's, else the first of the usual names (any case).
    func skyColumns(_ table: Table, spec: CutoutSpec?) -> (ra: String, dec: String)? {
        func find(_ given: String?, _ names: [String]) -> String? {
            if let given { return given }
            return table.columnNames.first { names.contains($0.lowercased()) && table.column(named: $0)?.isNumeric == true }
        }
        guard let ra = find(spec?.ra, ["ra", "raj2000", "ra_deg", "radeg", "ra_icrs", "alpha_j2000"]),
              let dec = find(spec?.dec, ["dec", "dej2000", "decj2000", "dec_deg", "dedeg", "de_icrs", "dec_icrs", "delta_j2000"]) else { return nil }
        return (ra, dec)
    }

    func skyPosition(_ table: Table, row: Int, spec: CutoutSpec) -> (ra: Double, dec: Double)? {
        guard let (raName, decName) = skyColumns(table, spec: spec),
              let ra = table.column(named: raName)?.number(row: row), let dec = table.column(named: decName)?.number(row: row),
              ra.isFinite, dec.isFinite, (-90...90).contains(dec) else { return nil }
        return (ra, dec)
    }

    /// The tile of one row. Local files that cannot be read are errors; a survey that cannot be
    /// reached gives the grey placeholder with a warning.
    func cutoutTile(_ spec: CutoutSpec, table: Table, row: Int, id: String) throws -> CutoutTile {
        let position = skyPosition(table, row: row, spec: spec)
        switch spec.source {
        case .column(let name):
            let path = table.column(named: name)?.displayText(row: row) ?? ""
            guard !path.isEmpty else { throw CommandError("row `\(id)` has no image path in column `\(name)`") }
            let bytes = try readImageFile(path)
            if bytes.starts(with: Array("SIMPLE".utf8)) {
                return try fitsTile(try FITSImage(path: resolve(path)), name: path, spec: spec, position: position, id: id, needsPosition: false)
            }
            let picture = try CutoutImage.fit(try RasterDecoder.decode(bytes, name: path), size: spec.size)
            return CutoutTile(image: picture, note: "\(id): \(path) (\(spec.size)×\(spec.size) px)")
        case .file(let path):
            _ = try readImageFile(path)
            return try fitsTile(try FITSImage(path: resolve(path)), name: path, spec: spec, position: position, id: id, needsPosition: true)
        case .survey(let survey):
            guard let position else {
                throw CommandError("row `\(id)` has no RA/Dec: give ra= and dec= columns (degrees) for survey cutouts")
            }
            let cutout = HiPSCutout(survey: survey, ra: position.ra, dec: position.dec, fovArcsec: spec.fovArcsec, size: spec.size)
            switch surveyBytes(cutout) {
            case .success(let bytes):
                let image = try FITSImage(bytes: bytes, name: cutout.cachePath)
                let centre = (x: Double(image.width - 1) / 2, y: Double(image.height - 1) / 2)
                let tile = try CutoutImage.fits(image, x: centre.x, y: centre.y, halfWidth: Double(max(image.width, image.height)) / 2,
                                                size: spec.size, stretch: spec.stretch)
                return CutoutTile(image: tile, note: "\(id): \(survey) at \(Self.degrees(position)), fov \(NumberFormatting.short(spec.fovArcsec))″, stretch \(spec.stretch.rawValue) (\(cutout.cachePath))")
            case .failure(let failure):
                return CutoutTile(image: try CutoutImage.placeholder(size: spec.size),
                                  note: "\(id): no cutout of \(survey) (grey placeholder)",
                                  warning: "cutout of \(id) from \(survey) not available: \(failure.message); a grey tile stands in")
            }
        }
    }

    func readImageFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: resolve(path)) else {
            throw CommandError("cannot read image file `\(path)`: " + (FileManager.default.fileExists(atPath: resolve(path)) ? "not readable" : "no such file"))
        }
        return [UInt8](data)
    }

    /// A FITS tile: around the row's position when the image has a WCS (required for file=),
    /// else the whole image.
    func fitsTile(_ image: FITSImage, name: String, spec: CutoutSpec, position: (ra: Double, dec: Double)?, id: String, needsPosition: Bool) throws -> CutoutTile {
        let wcs = SkyWCS(header: image.header)
        if let wcs, let position, let pixel = wcs.pixel(ra: position.ra, dec: position.dec), let scale = wcs.pixelScale(x: pixel.x, y: pixel.y) {
            let half = spec.fovArcsec / 2 / scale
            let tile = try CutoutImage.fits(image, x: pixel.x, y: pixel.y, halfWidth: half, size: spec.size, stretch: spec.stretch)
            let inside = pixel.x >= -0.5 && pixel.y >= -0.5 && pixel.x < Double(image.width) - 0.5 && pixel.y < Double(image.height) - 0.5
            let note = "\(id): \(name) at pixel (\(String(format: "%.2f", pixel.x)), \(String(format: "%.2f", pixel.y))), fov \(NumberFormatting.short(spec.fovArcsec))″ = \(String(format: "%.1f", 2 * half)) px, stretch \(spec.stretch.rawValue)"
            return CutoutTile(image: tile, note: note,
                              warning: inside ? nil : "\(id) at \(Self.degrees(position)) lies outside \(name) (\(image.width)×\(image.height) px): the tile shows grey where there is no image")
        }
        if needsPosition {
            let why = wcs == nil ? "\(name) has no celestial WCS in its header" : position == nil ? "row `\(id)` has no RA/Dec (give ra= and dec=)" : "the position of `\(id)` has no pixel in \(name)"
            throw CommandError("cannot cut by position: \(why)")
        }
        let half = Double(max(image.width, image.height)) / 2
        let tile = try CutoutImage.fits(image, x: Double(image.width - 1) / 2, y: Double(image.height - 1) / 2, halfWidth: half,
                                        size: spec.size, stretch: spec.stretch)
        return CutoutTile(image: tile, note: "\(id): \(name), whole image (\(image.width)×\(image.height) px), stretch \(spec.stretch.rawValue)")
    }

    /// The cached cutout, else a fetch (cached on success) unless offline.
    func surveyBytes(_ cutout: HiPSCutout) -> Result<[UInt8], HiPSCutout.FetchFailure> {
        let cache = resolve(cutout.cachePath)
        if let data = FileManager.default.contents(atPath: cache) { return .success([UInt8](data)) }
        guard !cutouts.offline else { return .failure(.init("offline (ASTROLABE_OFFLINE=1) and not in \(cutout.cachePath)")) }
        let result = HiPSCutout.fetch(cutout.url(server: cutouts.server), timeout: cutouts.timeout, maxBytes: cutouts.maxBytes)
        if case .success(let bytes) = result {
            try? FileManager.default.createDirectory(atPath: (cache as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // Written whole and then renamed, so an interrupted write never leaves half a file in the cache.
            let temporary = cache + ".part"
            if FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) {
                _ = try? FileManager.default.removeItem(atPath: cache)
                try? FileManager.default.moveItem(atPath: temporary, toPath: cache)
            }
        }
        return result
    }

    static func degrees(_ p: (ra: Double, dec: Double)) -> String {
        String(format: "RA %.5f° Dec %+.5f°", p.ra, p.dec)
    }
}

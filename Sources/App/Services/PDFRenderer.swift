import Foundation
import Vapor

/// Turns a self-contained HTML page (styles inline, no resource fetched) into a PDF. The live renderer is headless
/// Chromium's print to PDF, the engine a reader's browser prints the same page with (ADR 0025); tests of the Swift
/// suites put a stand-in in its place, and the browser journeys check the real one.
struct PDFRenderer: Sendable {
    var render: @Sendable (_ html: String) async throws -> Data

    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    /// Chromium at `executable`, run once per document in a profile and folder of its own that are removed after, and
    /// stopped after `timeout`.
    static func chromium(executable: String, timeout: Duration = .seconds(90)) -> PDFRenderer {
        PDFRenderer { html in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jaga-pdf-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let page = folder.appendingPathComponent("report.html")
            let output = folder.appendingPathComponent("report.pdf")
            try Data(html.utf8).write(to: page)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            var arguments = [
                "--headless", "--disable-gpu", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                "--disable-dev-shm-usage", "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
                "--no-pdf-header-footer", "--print-to-pdf=\(output.path)", page.absoluteString,
            ]
            // Chromium refuses to start its sandbox as root (containers, the test machines); a service account keeps it.
            if getuid() == 0 { arguments.insert("--no-sandbox", at: 0) }
            process.arguments = arguments
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            var watchdog: Task<Void, Never>?
            let status: Int32 = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: Failed(description: "\(executable) did not start: \(error)"))
                    return
                }
                watchdog = Task {
                    try? await Task.sleep(for: timeout)
                    if !Task.isCancelled, process.isRunning { process.terminate() }
                }
            }
            watchdog?.cancel()
            guard status == 0, let pdf = try? Data(contentsOf: output), pdf.starts(with: Array("%PDF-".utf8)) else {
                throw Failed(description: "\(executable) made no PDF (exit status \(status))")
            }
            return pdf
        }
    }
}

extension Application {
    private struct PDFRendererKey: StorageKey {
        typealias Value = PDFRenderer
    }

    /// Chromium at `JAGA_PDF_BROWSER` unless a test has put another renderer here.
    var pdfRenderer: PDFRenderer {
        get { self.storage[PDFRendererKey.self] ?? .chromium(executable: self.config.pdfBrowser) }
        set { self.storage[PDFRendererKey.self] = newValue }
    }
}

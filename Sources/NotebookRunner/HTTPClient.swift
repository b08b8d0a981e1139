import Foundation
import NotebookModel

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Blocking HTTP requests through `URLSession` (libcurl on Linux), each bounded in time: `timeout`
/// seconds without a byte, four times that in all.
struct HTTPClient: Sendable {
    /// A status and a body.
    struct Response {
        var status: Int
        var body: Data
    }

    let timeout: Double
    private let session: URLSession

    init(timeout: Double) {
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = 4 * timeout
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 4
        session = URLSession(configuration: configuration)
    }

    /// Sends one request and waits for its answer; why it failed when no answer came.
    func send(_ method: String, _ url: URL, body: Data? = nil) -> Result<Response, HTTPFailure> {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        if let body {
            request.httpBody = body
            request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        }
        let answer = Locked<Result<Response, HTTPFailure>>(.failure(HTTPFailure("no answer")))
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            if let response = response as? HTTPURLResponse, error == nil {
                answer.update { $0 = .success(Response(status: response.statusCode, body: data ?? Data())) }
            } else {
                let reason =
                    (error as? URLError)?.code == .timedOut
                    ? "no answer within \(seconds)" : "\(error.map(describe) ?? "no answer")"
                answer.update { $0 = .failure(HTTPFailure(reason)) }
            }
            done.signal()
        }
        task.resume()
        // URLSession enforces both limits; this is the backstop should it not.
        if done.wait(timeout: .now() + 4 * timeout + 1) == .timedOut {
            task.cancel()
            return .failure(HTTPFailure("no answer within \(seconds)"))
        }
        return answer.value
    }

    private var seconds: String { NumberFormat.significant(timeout, digits: 3) + " s" }

    private func describe(_ error: Error) -> String {
        (error as NSError).localizedDescription.isEmpty ? "\(error)" : (error as NSError).localizedDescription
    }
}

/// Why a request got no answer: refused, timed out, cut.
struct HTTPFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

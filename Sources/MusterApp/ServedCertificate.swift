import Foundation
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// The certificate and key Muster serves HTTPS with, read from their files at start and again on
/// SIGHUP, so a renewed certificate (certbot, say) is taken up without a restart. Each new
/// connection gets the certificate current when it shakes hands; a reread that fails keeps the
/// one before and says why.
public final class ServedCertificate: Sendable {
    let certFile: String
    let keyFile: String
    private let current: Mutex<(chain: [NIOSSLCertificate], key: NIOSSLPrivateKey)>

    public init(certFile: String, keyFile: String) throws {
        self.certFile = certFile
        self.keyFile = keyFile
        current = Mutex(try Self.read(certFile: certFile, keyFile: keyFile))
    }

    /// Reads the files again; returns the error that kept the old certificate, if any.
    @discardableResult
    public func reload() -> ConfigError? {
        do {
            let loaded = try Self.read(certFile: certFile, keyFile: keyFile)
            current.withLock { $0 = loaded }
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            return ConfigError("tls", "could not be reread: \(error)")
        }
    }

    /// The server's TLS configuration: TLS 1.2 and up, with the certificate chosen at each handshake.
    public func tlsConfiguration() -> TLSConfiguration {
        let (chain, key) = current.withLock { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.sslContextCallback = { [self] _, promise in
            let (chain, key) = current.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = chain.map { .certificate($0) }
            override.privateKey = .privateKey(key)
            promise.succeed(override)
        }
        return configuration
    }

    static func read(certFile: String, keyFile: String) throws -> (chain: [NIOSSLCertificate], key: NIOSSLPrivateKey) {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certFile)
        } catch {
            throw ConfigError("tls.cert_file", "names '\(certFile)', which is not a readable PEM certificate: \(error)")
        }
        guard !chain.isEmpty else { throw ConfigError("tls.cert_file", "names '\(certFile)', which holds no certificate.") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw ConfigError("tls.key_file", "names '\(keyFile)', which is not a readable, unencrypted PEM private key: \(error)")
        }
        return (chain, key)
    }
}

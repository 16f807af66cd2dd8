//! TLS: the certificate and key are read from PEM files into a rustls
//! `CertifiedKey` held behind an `ArcSwap`; the server config resolves every
//! handshake to the current one, so a rotated certificate applies to new
//! connections without a restart, and a bad one is never installed.

use std::path::Path;
use std::sync::Arc;

use arc_swap::ArcSwap;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// A certificate that could not be loaded, with the reason.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct CertError(pub String);

/// Reads and checks a PEM certificate chain and its private key.
pub fn load(cert_path: &Path, key_path: &Path) -> Result<CertifiedKey, CertError> {
    let cert_pem = std::fs::read(cert_path)
        .map_err(|e| CertError(format!("cannot read {}: {e}", cert_path.display())))?;
    let key_pem = std::fs::read(key_path)
        .map_err(|e| CertError(format!("cannot read {}: {e}", key_path.display())))?;
    from_pem(&cert_pem, &key_pem).map_err(|CertError(e)| {
        CertError(format!(
            "{} / {}: {e}",
            cert_path.display(),
            key_path.display()
        ))
    })
}

/// [`load`] from bytes.
pub fn from_pem(cert_pem: &[u8], key_pem: &[u8]) -> Result<CertifiedKey, CertError> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| CertError(format!("the certificate is not valid PEM: {e}")))?;
    if chain.is_empty() {
        return Err(CertError("no certificate found in the PEM file".into()));
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem)
        .map_err(|e| CertError(format!("no usable private key in the PEM file: {e}")))?;
    let signing = rustls::crypto::ring::sign::any_supported_type(&key)
        .map_err(|e| CertError(format!("unsupported private key: {e}")))?;
    let certified = CertifiedKey::new(chain, signing);
    certified.keys_match().map_err(|e| {
        CertError(format!(
            "the private key does not match the certificate: {e}"
        ))
    })?;
    Ok(certified)
}

/// Hands out the current certificate to every handshake.
#[derive(Debug)]
pub struct Resolver {
    current: ArcSwap<CertifiedKey>,
}

impl Resolver {
    /// A resolver serving `key`.
    pub fn new(key: CertifiedKey) -> Arc<Self> {
        Arc::new(Resolver {
            current: ArcSwap::from_pointee(key),
        })
    }

    /// Serves `key` to new connections from now on.
    pub fn replace(&self, key: CertifiedKey) {
        self.current.store(Arc::new(key));
    }
}

impl ResolvesServerCert for Resolver {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.load_full())
    }
}

/// A rustls server config (ring, TLS 1.2 and 1.3, h2 and HTTP/1.1) over the resolver.
pub fn server_config(resolver: Arc<Resolver>) -> Result<Arc<ServerConfig>, CertError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| CertError(format!("TLS configuration: {e}")))?
        .with_no_client_auth()
        .with_cert_resolver(resolver);
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

//! Signing the messages of an input event stream: each encoded event goes, as the payload, into
//! a frame whose `:date` and `:chunk-signature` headers sign it, chained to the signature
//! before it (the request's, for the first message); an empty payload makes the frame that
//! ends the stream.

use std::fmt;
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;

use crate::codec::event_stream::{write_headers, EventStreamError, Header, HeaderStr};
use crate::codec::event_stream::{HeaderValue, Message};
use crate::contract::stream::MessageSigning;
use crate::sigv4::{event_signature, hex, SigningError, SigningParams, SigningSettings};

/// Signs the messages of one stream, in order.
pub(super) struct ChainedSigner {
    signing: MessageSigning,
    /// The hex signature of the previous frame (the request's before the first).
    prior: String,
}

/// Why a frame could not be signed.
#[derive(Debug)]
pub(super) enum SignFailure {
    Signing(SigningError),
    Framing(EventStreamError),
}

impl fmt::Display for SignFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignFailure::Signing(err) => write!(f, "could not sign an event: {err}"),
            SignFailure::Framing(err) => write!(f, "could not frame a signed event: {err}"),
        }
    }
}

impl std::error::Error for SignFailure {}

impl ChainedSigner {
    pub(super) fn new(signing: MessageSigning) -> Self {
        Self {
            prior: signing.seed_signature.clone(),
            signing,
        }
    }

    /// The signed frame carrying `payload` (an encoded event, or nothing for the end of the
    /// stream), dated now.
    pub(super) fn sign(&mut self, payload: Bytes) -> Result<Message, SignFailure> {
        // Dated in whole seconds, the precision of the signature's time stamp, so that the
        // `:date` header (milliseconds on the wire) says exactly the time that was signed.
        let now = self.signing.now();
        let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let time = UNIX_EPOCH + Duration::from_secs(secs);
        let date = HeaderValue::timestamp(time);
        let mut encoded_headers = Vec::with_capacity(16);
        write_headers(
            &[Header::new(HeaderStr::from_static(":date"), date)],
            &mut encoded_headers,
        )
        .map_err(SignFailure::Framing)?;
        let params = SigningParams {
            credentials: &self.signing.credentials,
            region: &self.signing.region,
            service: &self.signing.service,
            time,
            settings: SigningSettings::default(),
        };
        let signature = event_signature(&params, &self.prior, &encoded_headers, &payload)
            .map_err(SignFailure::Signing)?;
        self.prior = hex(&signature);
        Ok(Message::signed(payload, time, signature))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::SystemTime;

    use super::*;
    use crate::contract::identity::Credentials;

    fn signer(at: SystemTime) -> ChainedSigner {
        ChainedSigner::new(MessageSigning {
            credentials: Credentials::new("AKID", "SECRET", None, None, "test"),
            region: "us-east-1".into(),
            service: "transcribe".into(),
            seed_signature: "00".repeat(32),
            clock: Arc::new(move || at),
        })
    }

    #[test]
    fn each_signature_is_chained_to_the_one_before() {
        let at = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        let mut first = signer(at);
        let a = first.sign(Bytes::from_static(b"event")).unwrap();
        let b = first.sign(Bytes::from_static(b"event")).unwrap();
        // Same payload and time, different prior signature: different signatures.
        let sig = |m: &Message| m.header(":chunk-signature").cloned();
        assert_ne!(sig(&a), sig(&b));
        // Whole seconds, like the signature's time stamp.
        assert_eq!(
            a.header(":date"),
            Some(&HeaderValue::Timestamp(1_700_000_000_000))
        );
        assert_eq!(a.payload().as_ref(), b"event");
        // A fresh chain repeats the first signature.
        assert_eq!(
            sig(&signer(at).sign(Bytes::from_static(b"event")).unwrap()),
            sig(&a)
        );
        let end = first.sign(Bytes::new()).unwrap();
        assert!(end.payload().is_empty());
        assert!(matches!(sig(&end), Some(HeaderValue::ByteArray(s)) if s.len() == 32));
    }
}

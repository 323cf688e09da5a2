//! Shared fixtures for the side-by-side benches in `benches/`: the canned response bodies both
//! clients parse, and a tiny HTTP/1.1 server on 127.0.0.1 that both clients call.
//!
//! Only `std` is used here, so the fixtures cost the same for both clients.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;

/// The region every bench client is configured with.
pub const REGION: &str = "us-east-1";
/// The access key id every bench client signs with.
pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
/// The secret key every bench client signs with.
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The fixed signing time (seconds since the epoch: 2024-01-01T00:00:00Z).
pub const SIGNING_TIME_SECS: u64 = 1_704_067_200;
/// The AppInstance name sent in every CreateAppInstance request.
pub const APP_INSTANCE_NAME: &str = "bench-app-instance";
/// The metadata sent in every CreateAppInstance request.
pub const APP_INSTANCE_METADATA: &str = "{\"team\":\"bench\",\"tier\":1}";
/// The idempotency token sent in every CreateAppInstance request (fixed, so neither client
/// generates a UUID per call).
pub const CLIENT_REQUEST_TOKEN: &str = "8a1d2f0c-4e8b-4c5d-9f61-0d2b6e5e7a11";

/// The body of a successful CreateAppInstance response.
pub fn create_app_instance_body() -> String {
    format!("{{\"AppInstanceArn\":\"{}\"}}", app_instance_arn(0))
}

/// The ARN of the `n`th AppInstance in the canned responses.
pub fn app_instance_arn(n: usize) -> String {
    format!("arn:aws:chime:us-east-1:123456789012:app-instance/{n:08x}-5f6e-4a3b-9c2d-1e0f2a3b4c5d")
}

/// The body of a ListAppInstances response with `items` AppInstanceSummary entries (ARN, name
/// and metadata each) and a `NextToken`.
pub fn list_app_instances_body(items: usize) -> String {
    let mut out = String::from("{\"AppInstances\":[");
    for n in 0..items {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"AppInstanceArn\":\"{}\",\"Name\":\"app-instance-{n}\",\"Metadata\":\"{{\\\"owner\\\":\\\"team-{n}\\\",\\\"env\\\":\\\"prod\\\"}}\"}}",
            app_instance_arn(n)
        ));
    }
    out.push_str("],\"NextToken\":\"eyJvZmZzZXQiOjUwfQ==\"}");
    out
}

/// A tiny HTTP/1.1 server on 127.0.0.1 answering every request with one canned JSON response
/// (`200`, `content-type: application/json`, keep-alive). One thread per connection; it runs
/// until the process exits.
#[derive(Debug)]
pub struct TinyServer {
    addr: SocketAddr,
}

impl TinyServer {
    /// Starts the server on an ephemeral port.
    pub fn start(body: String) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: 00000000-0000-0000-0000-000000000000\r\ncontent-length: {}\r\n\r\n{}",
            body.len(),
            body
        )
        .into_bytes();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let response = response.clone();
                thread::spawn(move || {
                    // A connection ends on EOF or on any I/O error; nothing to report.
                    let _ = serve(stream, &response);
                });
            }
        });
        Ok(Self { addr })
    }

    /// The server's base URL, e.g. `http://127.0.0.1:34567`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Answers requests on one keep-alive connection until the client closes it.
fn serve(stream: TcpStream, response: &[u8]) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        // Request line and headers.
        let mut content_length = 0usize;
        let mut first = true;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                if first {
                    continue;
                }
                break;
            }
            first = false;
            if let Some((name, value)) = trimmed.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.trim().parse().map_err(|_| {
                        io::Error::new(io::ErrorKind::InvalidData, "bad content-length")
                    })?;
                }
            }
        }
        let mut body = vec![0u8; content_length];
        reader.read_exact(&mut body)?;
        writer.write_all(response)?;
        writer.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_body_has_the_requested_number_of_items() {
        let body = list_app_instances_body(50);
        assert_eq!(body.matches("\"AppInstanceArn\"").count(), 50);
        assert!(body.starts_with("{\"AppInstances\":[{"));
        assert!(body.ends_with("\"NextToken\":\"eyJvZmZzZXQiOjUwfQ==\"}"));
    }

    #[test]
    fn server_answers_two_requests_on_one_connection() {
        let server = TinyServer::start("{\"ok\":true}".to_owned()).unwrap();
        let mut stream = TcpStream::connect(server.addr).unwrap();
        let request = "POST /x HTTP/1.1\r\nhost: a\r\ncontent-length: 2\r\n\r\n{}";
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        for _ in 0..2 {
            stream.write_all(request.as_bytes()).unwrap();
            let mut status = String::new();
            reader.read_line(&mut status).unwrap();
            assert_eq!(status, "HTTP/1.1 200 OK\r\n");
            let mut length = 0;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header == "\r\n" {
                    break;
                }
                if let Some(v) = header.strip_prefix("content-length: ") {
                    length = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            assert_eq!(body, b"{\"ok\":true}");
        }
    }
}

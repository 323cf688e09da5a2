//! End-to-end tests of generated clients against HTTP servers on 127.0.0.1.

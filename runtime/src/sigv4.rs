//! AWS Signature Version 4 request signing (work in progress).

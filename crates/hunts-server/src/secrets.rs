//! Secrets and how they are kept: passwords hashed with argon2id (memory-hard, salted), tokens
//! and session ids made from the operating system's random source, tokens kept as a BLAKE2b
//! digest (they are long and random, so a fast hash cannot be guessed back).

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use blake2::{Blake2b512, Digest};

/// The argon2id hash of `password` as a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`),
/// with the crate's default cost (OWASP's recommended minimum).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes make a salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password")
        .to_string()
}

/// Whether `password` matches `hash`. With no hash (an unknown user) it checks against a fixed
/// one, so an unknown name takes as long as a wrong password and the time says nothing.
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    static DECOY: OnceLock<String> = OnceLock::new();
    let decoy = DECOY.get_or_init(|| hash_password("a password no one has"));
    let Ok(parsed) = PasswordHash::new(hash.unwrap_or(decoy)) else {
        return false;
    };
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    matches && hash.is_some()
}

/// A new random secret: 32 bytes as 64 hex digits (a token, a session id).
pub fn new_secret() -> String {
    hex(&random_bytes::<32>())
}

/// How a token is kept and found: its BLAKE2b-512 digest in hex.
pub fn token_digest(token: &str) -> String {
    hex(&Blake2b512::digest(token.as_bytes()))
}

/// A new random (version 4) UUID, as hunt ids are made: from the same random source as secrets,
/// so the uuid crate (shared with the app's wasm) needs no random source of its own.
pub fn new_uuid() -> uuid::Uuid {
    uuid::Builder::from_random_bytes(random_bytes()).into_uuid()
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source answers");
    bytes
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut text, byte| {
            let _ = write!(text, "{byte:02x}");
            text
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_matches_its_hash_only() {
        let hash = hash_password("correct horse");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse", Some(&hash)));
        assert!(!verify_password("correct horsE", Some(&hash)));
        // No user: never a match, whatever is typed.
        assert!(!verify_password("a password no one has", None));
        // Two hashes of one password differ (salted).
        assert_ne!(hash, hash_password("correct horse"));
    }

    #[test]
    fn secrets_are_long_random_and_digests_stable() {
        let (one, two) = (new_secret(), new_secret());
        assert_eq!(one.len(), 64);
        assert_ne!(one, two);
        assert_eq!(token_digest(&one), token_digest(&one));
        assert_ne!(token_digest(&one), token_digest(&two));
    }
}

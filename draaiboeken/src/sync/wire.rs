//! The y-websocket wire format (y-protocols `sync`, `awareness`, `auth`), decoded strictly.
//!
//! We decode the outer framing ourselves instead of through `yrs::sync::Message` because every
//! byte here comes from the network: lengths are checked against the bytes actually present
//! before anything is allocated, client ids are checked to be 53-bit (yrs `debug_assert`s that),
//! and nothing panics. Document updates themselves stay opaque byte slices here; `room` hands
//! them to yrs under a panic guard.

use thiserror::Error;

pub const MSG_SYNC: u8 = 0;
pub const MSG_AWARENESS: u8 = 1;
pub const MSG_AUTH: u8 = 2;
pub const MSG_QUERY_AWARENESS: u8 = 3;

pub const SYNC_STEP1: u8 = 0;
pub const SYNC_STEP2: u8 = 1;
pub const SYNC_UPDATE: u8 = 2;

const AUTH_PERMISSION_DENIED: u8 = 0;

/// Yjs client ids are 53-bit (JavaScript's safe integers).
pub const MAX_CLIENT_ID: u64 = (1 << 53) - 1;

/// Why a byte string is not a valid protocol message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WireError {
    #[error("message ends early")]
    Truncated,
    #[error("number too large")]
    VarIntOverflow,
    #[error("unknown message type {0}")]
    UnknownMessage(u64),
    #[error("unknown sync step {0}")]
    UnknownSyncStep(u64),
    #[error("text is not valid UTF-8")]
    InvalidUtf8,
    #[error("client id {0} is larger than 53 bits")]
    ClientIdTooLarge(u64),
    #[error("awareness state is not valid JSON")]
    InvalidAwarenessJson,
    #[error("{0} trailing bytes after the message")]
    TrailingBytes(usize),
    #[error("empty message")]
    Empty,
}

/// One decoded protocol message, borrowing from the frame it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message<'a> {
    /// Sync step 1: the sender's encoded state vector.
    SyncStep1(&'a [u8]),
    /// Sync step 2: an update answering a step 1.
    SyncStep2(&'a [u8]),
    /// An incremental update.
    Update(&'a [u8]),
    /// An awareness update (still encoded; see [`decode_awareness`]).
    Awareness(&'a [u8]),
    /// Auth: `Some(reason)` for permission-denied, `None` for granted.
    Auth(Option<&'a str>),
    /// A request for the receiver's awareness states.
    QueryAwareness,
}

/// A bounds-checked reader over a byte slice.
pub struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf }
    }

    pub fn remaining(&self) -> usize {
        self.buf.len()
    }

    pub fn read_u8(&mut self) -> Result<u8, WireError> {
        let (&b, rest) = self.buf.split_first().ok_or(WireError::Truncated)?;
        self.buf = rest;
        Ok(b)
    }

    /// An unsigned LEB128 number of at most 64 bits.
    pub fn read_var_u64(&mut self) -> Result<u64, WireError> {
        let mut value: u64 = 0;
        let mut shift = 0u32;
        loop {
            let byte = self.read_u8()?;
            let low = u64::from(byte & 0x7f);
            if shift == 63 && low > 1 || shift > 63 {
                return Err(WireError::VarIntOverflow);
            }
            value |= low << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }

    pub fn read_len(&mut self) -> Result<usize, WireError> {
        let n = self.read_var_u64()?;
        let n = usize::try_from(n).map_err(|_| WireError::Truncated)?;
        if n > self.buf.len() {
            return Err(WireError::Truncated);
        }
        Ok(n)
    }

    pub fn read_bytes(&mut self) -> Result<&'a [u8], WireError> {
        let n = self.read_len()?;
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    pub fn read_str(&mut self) -> Result<&'a str, WireError> {
        std::str::from_utf8(self.read_bytes()?).map_err(|_| WireError::InvalidUtf8)
    }
}

pub fn write_var_u64(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

pub fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_var_u64(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Decodes exactly one message filling the whole frame. The y-websocket client reads one message
/// per frame and ignores the rest, so we send one per frame and accept nothing else.
pub fn decode(frame: &[u8]) -> Result<Message<'_>, WireError> {
    if frame.is_empty() {
        return Err(WireError::Empty);
    }
    let mut r = Reader::new(frame);
    let msg = match r.read_var_u64()? {
        0 => match r.read_var_u64()? {
            0 => Message::SyncStep1(r.read_bytes()?),
            1 => Message::SyncStep2(r.read_bytes()?),
            2 => Message::Update(r.read_bytes()?),
            other => return Err(WireError::UnknownSyncStep(other)),
        },
        1 => Message::Awareness(r.read_bytes()?),
        2 => {
            if r.read_var_u64()? == u64::from(AUTH_PERMISSION_DENIED) {
                Message::Auth(Some(r.read_str()?))
            } else {
                Message::Auth(None)
            }
        }
        3 => Message::QueryAwareness,
        other => return Err(WireError::UnknownMessage(other)),
    };
    match r.remaining() {
        0 => Ok(msg),
        n => Err(WireError::TrailingBytes(n)),
    }
}

fn sync_frame(step: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 12);
    out.push(MSG_SYNC);
    out.push(step);
    write_bytes(&mut out, payload);
    out
}

pub fn encode_step1(state_vector: &[u8]) -> Vec<u8> {
    sync_frame(SYNC_STEP1, state_vector)
}

pub fn encode_step2(update: &[u8]) -> Vec<u8> {
    sync_frame(SYNC_STEP2, update)
}

pub fn encode_update(update: &[u8]) -> Vec<u8> {
    sync_frame(SYNC_UPDATE, update)
}

pub fn encode_awareness(update: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(update.len() + 6);
    out.push(MSG_AWARENESS);
    write_bytes(&mut out, update);
    out
}

pub fn encode_permission_denied(reason: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(reason.len() + 6);
    out.push(MSG_AUTH);
    out.push(AUTH_PERMISSION_DENIED);
    write_bytes(&mut out, reason.as_bytes());
    out
}

pub fn encode_query_awareness() -> Vec<u8> {
    vec![MSG_QUERY_AWARENESS]
}

/// An awareness message with no entries. Stock clients apply it as a no-op, but it counts as a
/// received message, which keeps the y-websocket client from dropping an idle connection.
pub fn keepalive_frame() -> Vec<u8> {
    encode_awareness(&[0])
}

/// One entry of an awareness update: a client's clock and its JSON state (`"null"` = gone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwarenessEntry<'a> {
    pub client: u64,
    pub clock: u32,
    pub json: &'a str,
}

impl AwarenessEntry<'_> {
    pub fn is_removal(&self) -> bool {
        self.json == "null"
    }
}

/// Decodes the payload of an awareness message. Every state must be valid JSON: stock clients
/// `JSON.parse` it, and one bad state would break every other client in the room.
pub fn decode_awareness(payload: &[u8]) -> Result<Vec<AwarenessEntry<'_>>, WireError> {
    let mut r = Reader::new(payload);
    let count = r.read_var_u64()?;
    // Every entry takes at least three bytes, so the count can't honestly exceed this.
    if count > (r.remaining() / 3) as u64 {
        return Err(WireError::Truncated);
    }
    let mut entries = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let client = r.read_var_u64()?;
        if client > MAX_CLIENT_ID {
            return Err(WireError::ClientIdTooLarge(client));
        }
        let clock = u32::try_from(r.read_var_u64()?).map_err(|_| WireError::VarIntOverflow)?;
        let json = r.read_str()?;
        if serde_json::from_str::<serde::de::IgnoredAny>(json).is_err() {
            return Err(WireError::InvalidAwarenessJson);
        }
        entries.push(AwarenessEntry {
            client,
            clock,
            json,
        });
    }
    match r.remaining() {
        0 => Ok(entries),
        n => Err(WireError::TrailingBytes(n)),
    }
}

pub fn encode_awareness_entries<'a>(
    entries: impl IntoIterator<Item = (u64, u32, &'a str)>,
) -> Vec<u8> {
    let entries: Vec<_> = entries.into_iter().collect();
    let mut out = Vec::new();
    write_var_u64(&mut out, entries.len() as u64);
    for (client, clock, json) in entries {
        write_var_u64(&mut out, client);
        write_var_u64(&mut out, u64::from(clock));
        write_bytes(&mut out, json.as_bytes());
    }
    out
}

/// Checks an encoded state vector without yrs (which asserts on oversized client ids).
pub fn validate_state_vector(sv: &[u8]) -> Result<(), WireError> {
    let mut r = Reader::new(sv);
    let count = r.read_var_u64()?;
    if count > (r.remaining() / 2) as u64 {
        return Err(WireError::Truncated);
    }
    for _ in 0..count {
        let client = r.read_var_u64()?;
        if client > MAX_CLIENT_ID {
            return Err(WireError::ClientIdTooLarge(client));
        }
        let clock = r.read_var_u64()?;
        u32::try_from(clock).map_err(|_| WireError::VarIntOverflow)?;
    }
    match r.remaining() {
        0 => Ok(()),
        n => Err(WireError::TrailingBytes(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_message_kind() {
        assert_eq!(decode(&encode_step1(&[0])), Ok(Message::SyncStep1(&[0])));
        assert_eq!(
            decode(&encode_step2(&[0, 0])),
            Ok(Message::SyncStep2(&[0, 0]))
        );
        assert_eq!(
            decode(&encode_update(&[1, 2])),
            Ok(Message::Update(&[1, 2]))
        );
        assert_eq!(decode(&keepalive_frame()), Ok(Message::Awareness(&[0])));
        assert_eq!(
            decode(&encode_permission_denied("nee")),
            Ok(Message::Auth(Some("nee")))
        );
        assert_eq!(
            decode(&encode_query_awareness()),
            Ok(Message::QueryAwareness)
        );
    }

    #[test]
    fn refuses_truncated_and_trailing_bytes() {
        let frame = encode_update(&[1, 2, 3]);
        for cut in 0..frame.len() {
            assert!(
                decode(&frame[..cut]).is_err(),
                "prefix of {cut} bytes accepted"
            );
        }
        let mut long = frame.clone();
        long.push(0);
        assert_eq!(decode(&long), Err(WireError::TrailingBytes(1)));
    }

    #[test]
    fn refuses_huge_lengths_without_allocating() {
        // Claims 2^62 bytes follow.
        let mut frame = vec![MSG_SYNC, SYNC_UPDATE];
        write_var_u64(&mut frame, 1 << 62);
        assert_eq!(decode(&frame), Err(WireError::Truncated));
        let mut aw = Vec::new();
        write_var_u64(&mut aw, 1 << 40);
        assert_eq!(decode_awareness(&aw), Err(WireError::Truncated));
    }

    #[test]
    fn varint_overflow_is_an_error() {
        let frame = [
            0u8, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
        ];
        assert_eq!(decode(&frame), Err(WireError::VarIntOverflow));
    }

    #[test]
    fn awareness_requires_json_and_53_bit_ids() {
        let ok = encode_awareness_entries([(7, 1, r#"{"naam":"Fatima"}"#)]);
        assert_eq!(decode_awareness(&ok).map(|e| e.len()), Ok(1));
        let bad_json = encode_awareness_entries([(7, 1, "{nope")]);
        assert_eq!(
            decode_awareness(&bad_json),
            Err(WireError::InvalidAwarenessJson)
        );
        let big_id = encode_awareness_entries([(1 << 53, 1, "{}")]);
        assert_eq!(
            decode_awareness(&big_id),
            Err(WireError::ClientIdTooLarge(1 << 53))
        );
    }
}

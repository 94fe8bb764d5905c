//! What every [`Store`] must do, as one check a backend's tests run against a fresh database:
//! `contract::check(&mut || open_a_store())`. `open` is called more than once, on the same
//! database: what was stored must be there when it is opened again.
//!
//! The bytes are opaque here: a backend stores and loads them, it never reads them.

use super::{MemberRecord, SessionRecord, Store, StoreError};

pub fn check(open: &mut dyn FnMut() -> Box<dyn Store>) {
    documents(open);
    sessions(open);
}

fn documents(open: &mut dyn FnMut() -> Box<dyn Store>) {
    let mut store = open();
    let empty = store.load("nothing/here").unwrap();
    assert!(empty.updates.is_empty());
    assert_eq!(empty.log_end, None);

    store
        .append(&[("a", b"a1"), ("b", b"b1"), ("a", b"a2")])
        .unwrap();
    store.append(&[("a", b"a3")]).unwrap();
    let a = store.load("a").unwrap();
    assert_eq!(a.updates, [b"a1", b"a2", b"a3"]);
    let through = a.log_end.expect("a log has an end");

    // An entry appended after the load stays when the snapshot replaces what was loaded.
    store.append(&[("a", b"a4")]).unwrap();
    store.replace_snapshot("a", b"s123", through).unwrap();
    let a = store.load("a").unwrap();
    assert_eq!(a.updates, [&b"s123"[..], b"a4"]);
    let end = a.log_end.expect("a4 is still in the log");
    assert!(end > through, "positions grow: {end:?} after {through:?}");

    store.replace_snapshot("a", b"s1234", end).unwrap();
    drop(store);
    let mut store = open();
    let a = store.load("a").unwrap();
    assert_eq!(a.updates, [b"s1234"]);
    assert_eq!(a.log_end, None);
    assert_eq!(store.load("b").unwrap().updates, [b"b1"]);
}

fn sessions(open: &mut dyn FnMut() -> Box<dyn Store>) {
    let session = |id: &str, code: &str, created_at| SessionRecord {
        id: id.into(),
        code: code.into(),
        draaiboek_file: "ambtenaren.toml".into(),
        draaiboek_source: "id = \"ambtenaren\"".into(),
        facilitator_token_hash: vec![1; 32],
        agenda: "{}".into(),
        created_at,
    };
    let member = |id: &str, session_id: &str, token: u8, joined_at| MemberRecord {
        id: id.into(),
        session_id: session_id.into(),
        name: format!("name of {id}"),
        role: "bewoner".into(),
        token_hash: vec![token; 32],
        joined_at,
    };
    let mut store = open();
    let (newer, older) = (session("s1", "AAAAAA", 20), session("s2", "CCCCCC", 10));
    store.insert_session(&newer).unwrap();
    store.insert_session(&older).unwrap();
    for taken in [session("s1", "DDDDDD", 30), session("s3", "AAAAAA", 30)] {
        assert!(matches!(
            store.insert_session(&taken),
            Err(StoreError::Conflict(_))
        ));
    }
    let (first, second) = (member("m1", "s1", 7, 5), member("m2", "s1", 8, 6));
    store.insert_member(&second).unwrap();
    store.insert_member(&first).unwrap();
    for taken in [member("m1", "s1", 9, 7), member("m3", "s1", 7, 7)] {
        assert!(matches!(
            store.insert_member(&taken),
            Err(StoreError::Conflict(_))
        ));
    }
    store.save_agenda("s1", "{\"current\":1}").unwrap();
    store.set_facilitator_token("s1", &[2; 32]).unwrap();
    drop(store);

    let (sessions, members) = open().load_sessions().unwrap();
    let newer = SessionRecord {
        agenda: "{\"current\":1}".into(),
        facilitator_token_hash: vec![2; 32],
        ..newer
    };
    assert_eq!(sessions, [older.clone(), newer]);
    assert_eq!(members, [first, second]);

    // Deleting a session takes its members and its rooms' documents, and nothing else.
    let mut store = open();
    store
        .append(&[("sessie/s1/blok/1", b"x"), ("sessie/s2/blok/1", b"y")])
        .unwrap();
    store
        .replace_snapshot("sessie/s1/agenda", b"z", super::LogPosition(0))
        .unwrap();
    store.delete_session("s1", "sessie/s1/").unwrap();
    // A member, and rooms by their exact names.
    store.insert_member(&member("m9", "s2", 19, 9)).unwrap();
    store.delete_member("m9").unwrap();
    store
        .append(&[
            ("sessie/s2/blok/1/eigen/m1", b"e"),
            ("sessie/s2/blok/1/eigen/m10", b"f"),
        ])
        .unwrap();
    store
        .delete_rooms(&["sessie/s2/blok/1/eigen/m1".into()])
        .unwrap();
    assert_eq!(
        store.load("sessie/s2/blok/1/eigen/m10").unwrap().updates,
        [b"f"]
    );
    assert!(
        store
            .load("sessie/s2/blok/1/eigen/m1")
            .unwrap()
            .updates
            .is_empty()
    );
    store.forget_freed().unwrap();
    drop(store);
    let mut store = open();
    let (sessions, members) = store.load_sessions().unwrap();
    assert_eq!(sessions, [older]);
    assert!(members.is_empty());
    for gone in ["sessie/s1/blok/1", "sessie/s1/agenda"] {
        assert!(store.load(gone).unwrap().updates.is_empty(), "{gone}");
    }
    assert_eq!(store.load("sessie/s2/blok/1").unwrap().updates, [b"y"]);
}

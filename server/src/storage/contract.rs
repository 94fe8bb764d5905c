//! What every [`Store`] must do, as one check a backend's tests run against a fresh database:
//! `contract::check(&mut || open_a_store())`. `open` is called more than once, on the same
//! database: what was stored must be there when it is opened again.
//!
//! The bytes are opaque here: a backend stores and loads them, it never reads them.

use super::{AccountRecord, LoginRecord, MemberRecord, SessionRecord, Store, StoreError};

pub fn check(open: &mut dyn FnMut() -> Box<dyn Store>) {
    documents(open);
    sessions(open);
    accounts(open);
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
        owner: (id == "s2").then(|| "account-1".to_owned()),
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
    store.set_owner("s1", "account-2").unwrap();
    drop(store);

    let (sessions, members) = open().load_sessions().unwrap();
    let newer = SessionRecord {
        agenda: "{\"current\":1}".into(),
        facilitator_token_hash: vec![2; 32],
        owner: Some("account-2".into()),
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

fn accounts(open: &mut dyn FnMut() -> Box<dyn Store>) {
    let account = |id: &str, name: &str, created_at| AccountRecord {
        id: id.into(),
        name: name.into(),
        role: "organiser".into(),
        password_hash: format!("$argon2id$of-{name}"),
        created_at,
    };
    let mut store = open();
    let (anna, bram) = (account("a1", "anna", 2), account("a2", "bram", 1));
    store.insert_account(&anna).unwrap();
    store.insert_account(&bram).unwrap();
    for taken in [account("a1", "chris", 3), account("a3", "anna", 3)] {
        assert!(matches!(
            store.insert_account(&taken),
            Err(StoreError::Conflict(_))
        ));
    }
    let login = |token: u8, account: &str, expires_at| LoginRecord {
        token_hash: vec![token; 32],
        account_id: account.into(),
        expires_at,
    };
    store.insert_login(&login(1, "a1", 100)).unwrap();
    store.insert_login(&login(2, "a1", 50)).unwrap();
    store.insert_login(&login(3, "a2", 100)).unwrap();
    drop(store);

    let mut store = open();
    assert_eq!(store.accounts().unwrap(), [bram.clone(), anna.clone()]);
    assert_eq!(store.account_by_name("anna").unwrap(), Some(anna.clone()));
    assert_eq!(store.account_by_name("nobody").unwrap(), None);
    assert_eq!(store.login(&[1; 32], 60).unwrap(), Some(anna.clone()));
    // Expired at 60, and gone for good (not back when the clock is set back).
    assert_eq!(store.login(&[2; 32], 60).unwrap(), None);
    assert_eq!(store.login(&[2; 32], 10).unwrap(), None);
    assert_eq!(store.login(&[9; 32], 60).unwrap(), None);
    store.delete_login(&[1; 32]).unwrap();
    assert_eq!(store.login(&[1; 32], 60).unwrap(), None);

    // A new password signs out every browser of that account only.
    store.insert_login(&login(4, "a1", 100)).unwrap();
    assert!(store.set_password("anna", "$argon2id$new").unwrap());
    assert!(!store.set_password("nobody", "$argon2id$new").unwrap());
    assert_eq!(store.login(&[4; 32], 60).unwrap(), None);
    assert_eq!(store.login(&[3; 32], 60).unwrap(), Some(bram.clone()));
    assert_eq!(
        store
            .account_by_name("anna")
            .unwrap()
            .unwrap()
            .password_hash,
        "$argon2id$new"
    );

    linked_accounts(store.as_mut(), &bram);
    assert!(store.delete_account("bram").unwrap());
    assert!(!store.delete_account("bram").unwrap());
    assert_eq!(store.login(&[3; 32], 60).unwrap(), None);
    assert_eq!(store.accounts().unwrap().len(), 1);
}

/// Accounts linked to an identity provider's subject: one account per (issuer, subject), found
/// by it, a taken name or link refused whole, and the link gone with its account. `bram` is an
/// account without a link.
fn linked_accounts(store: &mut dyn Store, bram: &AccountRecord) {
    let (idp, other) = ("https://login.example.nl", "https://elders.example.nl");
    let linked = |id: &str, name: &str| AccountRecord {
        id: id.into(),
        name: name.into(),
        role: "facilitator".into(),
        password_hash: super::NO_PASSWORD.into(),
        created_at: 7,
    };
    let carla = linked("a7", "carla");
    assert_eq!(store.linked_account(idp, "sub-c").unwrap(), None);
    store.insert_linked_account(&carla, idp, "sub-c").unwrap();
    assert_eq!(
        store.linked_account(idp, "sub-c").unwrap(),
        Some(carla.clone())
    );
    // The same subject at another provider is someone else.
    assert_eq!(store.linked_account(other, "sub-c").unwrap(), None);
    // A taken name, or a subject already linked: nothing is stored.
    for (taken, subject) in [
        (linked("a8", "bram"), "sub-d"),
        (linked("a9", "dirk"), "sub-c"),
    ] {
        assert!(matches!(
            store.insert_linked_account(&taken, idp, subject),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            store.account_by_name(&taken.name).unwrap().map(|a| a.id),
            (taken.name == "bram").then(|| bram.id.clone())
        );
    }
    assert_eq!(store.linked_account(idp, "sub-d").unwrap(), None);
    store.set_role("a7", "organiser").unwrap();
    assert_eq!(
        store.linked_account(idp, "sub-c").unwrap().unwrap().role,
        "organiser"
    );
    assert!(store.delete_account("carla").unwrap());
    assert_eq!(store.linked_account(idp, "sub-c").unwrap(), None);
}

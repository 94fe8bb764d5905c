//! `/r/{room}`: one shared post-it wall outside any session. Write a note; every open page of
//! the room shows it. Stock Yjs clients share it too (`ydoc.getArray("notes")`).

use leptos::prelude::*;

use crate::board_ui::{Composer, ConnectionStatus, Wall, use_board_url};
use crate::i18n::{Counted, Key, LanguageSwitch, tr, trn};
use crate::sync::room_url;

#[component]
pub fn RoomPage(room: String) -> impl IntoView {
    let live = use_board_url(room_url(&room), format!("werkmuur.draft.{room}"));
    let board = live.board;
    let count = Memo::new(move |_| board.get().visible().count());
    view! {
        <header class="bar">
            <h1 class="brand">{tr(Key::AppName)}</h1>
            <p class="room-name">{room}</p>
            <ConnectionStatus status=live.status/>
            <LanguageSwitch/>
        </header>
        <main class="room">
            <Composer live=live.clone() one_word=false author=None/>
            <section class="wall" aria-labelledby="wall-heading">
                <h2 id="wall-heading">
                    {tr(Key::WallHeading)}
                    " "
                    <span class="count">
                        "(" {move || trn(Counted::Notes, count.get(), &[])} ")"
                    </span>
                </h2>
                <Wall board=board/>
                <p class="home-link"><a href="/">{tr(Key::Home)}</a></p>
            </section>
        </main>
    }
}

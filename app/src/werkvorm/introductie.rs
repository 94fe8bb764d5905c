//! Introductie: introduction and information. No board; the projector shows the join code (its
//! rules say so: `shows_join_code`).

use super::WerkvormUi;

pub struct Introductie;

impl WerkvormUi for Introductie {}

//! Proces in kaart: the steps on post-its, put in order and grouped into phases by the group.
//! Its views are the process map's ([`super::proces_map`]) without extras; that the group
//! arranges the steps comes from the werkvorm's rules (`makes_map`).

use super::WerkvormUi;

pub struct ProcesInKaart;

impl WerkvormUi for ProcesInKaart {}

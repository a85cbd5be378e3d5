//! The journeys of issue 13, one test each, each walked at desktop and
//! phone size. What a journey needs that is not its subject (staff
//! accounts, other organisations' offers) is seeded through the API; the
//! journey's own steps go through the pages.

mod accounts;
mod family;
mod ngo;
mod oversight;
mod public_search;
mod report;
mod township;

//! The tantivy schema: field names, options and the conversion of a [`Doc`].

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::model::Doc;
use crate::tokenizer::TOKENIZER_NAME;

/// The fields of the index, resolved once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub code: Field,
    pub title: Field,
    pub body: Field,
    pub provider: Field,
    pub category: Field,
    pub townships: Field,
    pub updated_at: Field,
}

pub(crate) const KEY: &str = "key";
pub(crate) const KIND: &str = "kind";
pub(crate) const CATEGORY: &str = "category";
pub(crate) const TOWNSHIPS: &str = "townships";
pub(crate) const UPDATED_AT: &str = "updated_at";

/// Builds the schema; changing it needs a rebuild of existing indexes
/// (opening an index with another schema fails).
pub(crate) fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        key: builder.add_text_field(KEY, STRING | STORED | FAST),
        kind: builder.add_text_field(KIND, STRING | STORED | FAST),
        id: builder.add_text_field("id", STORED),
        code: builder.add_text_field("code", STORED),
        title: builder.add_text_field("title", text.clone()),
        body: builder.add_text_field("body", text),
        // Stored for display; its text is indexed as a second value of
        // `body`, which saves one posting list per query word.
        provider: builder.add_text_field("provider", STORED),
        category: builder.add_text_field(CATEGORY, STRING | STORED | FAST),
        townships: builder.add_text_field(TOWNSHIPS, STRING | STORED | FAST),
        updated_at: builder.add_i64_field(UPDATED_AT, INDEXED | STORED | FAST),
    };
    (builder.build(), fields)
}

impl Fields {
    /// The tantivy document for `doc`; townships are sorted and deduplicated.
    pub(crate) fn document(&self, doc: &Doc) -> TantivyDocument {
        let mut out = TantivyDocument::new();
        out.add_text(self.key, &doc.key);
        out.add_text(self.kind, doc.kind.as_str());
        out.add_text(self.id, &doc.id);
        if let Some(code) = &doc.code {
            out.add_text(self.code, code);
        }
        out.add_text(self.title, &doc.title);
        out.add_text(self.body, &doc.body);
        if let Some(provider) = &doc.provider {
            out.add_text(self.provider, provider);
            out.add_text(self.body, provider);
        }
        out.add_text(self.category, &doc.category);
        let mut townships: Vec<&str> = doc.townships.iter().map(String::as_str).collect();
        townships.sort_unstable();
        townships.dedup();
        for township in townships {
            out.add_text(self.townships, township);
        }
        out.add_i64(self.updated_at, doc.updated_at);
        out
    }
}

//! Where a request parameter that did not parse was: in the query string
//! or in the path.

/// Where a request parameter was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamPlace {
    Query,
    Path,
}

impl ParamPlace {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamPlace::Query => "query",
            ParamPlace::Path => "path",
        }
    }

    pub(super) fn label(self) -> &'static str {
        match self {
            ParamPlace::Query => "查询参数",
            ParamPlace::Path => "链接中的参数",
        }
    }
}

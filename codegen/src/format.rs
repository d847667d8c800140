//! Token streams → formatted Rust source (prettyplease).

use proc_macro2::TokenStream;

/// Formats one file; `path` only names the file in the error.
pub fn format_file(path: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("{path}: generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

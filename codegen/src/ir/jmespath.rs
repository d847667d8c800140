//! The JMESPath that botocore waiters of query-family services use, parsed at generation
//! time: field paths (`A.B`), indexes (`A[0]`, `A[-1]`), list projections (`A[].B`,
//! `A[*].B`), value projections over a map's values (`A.*.B`), filter projections
//! (`A[?B == 'x'].C`), `length()` and `contains()`, comparisons (`==`, `!=`, `<`, `<=`, `>`,
//! `>=`), `&&`, `||`, `!`, parentheses, `@`, and literals (`` `json` `` and `'raw string'`).
//! Anything else (slices, other functions, multi-selects, pipes) is refused with a message
//! saying what and where.
//!
//! Precedence and projection rules follow the JMESPath reference parser.

use std::fmt;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    /// `@`: the current value.
    Identity,
    Field(String),
    /// `lhs.rhs`
    Sub(Box<Ast>, Box<Ast>),
    /// `lhs[]`: flattens one level of lists.
    Flatten(Box<Ast>),
    /// Evaluates `rhs` on each item of the list `lhs` (nulls dropped).
    Projection(Box<Ast>, Box<Ast>),
    /// `lhs.*.rhs`: evaluates `rhs` on each value of the map (or structure) `lhs`.
    ValueProjection(Box<Ast>, Box<Ast>),
    /// `lhs[?cond].rhs`: evaluates `rhs` on each item of the list `lhs` for which `cond`
    /// (with the item as `@`) is true.
    FilterProjection(Box<Ast>, Box<Ast>, Box<Ast>),
    /// `lhs[n]`: one item of a list; a negative `n` counts from the end.
    Index(Box<Ast>, i64),
    Function(String, Vec<Ast>),
    Compare(Cmp, Box<Ast>, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    Not(Box<Ast>),
    Literal(serde_json::Value),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }
}

/// Why an expression was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub at: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.at, self.message)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Dot,
    Flatten,
    Star,
    Filter,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    At,
    Cmp(Cmp),
    And,
    Or,
    Not,
    Pipe,
    /// A number, as in indexes (and slices, which the parser refuses).
    Number(i64),
    Colon,
    Literal(serde_json::Value),
    Eof,
}

fn tokenize(src: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |at: usize, m: &str| ParseError { at, message: m.to_owned() };
    while i < b.len() {
        let c = b[i];
        let start = i;
        let tok = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'.' => {
                i += 1;
                Tok::Dot
            }
            b'@' => {
                i += 1;
                Tok::At
            }
            b',' => {
                i += 1;
                Tok::Comma
            }
            b'(' => {
                i += 1;
                Tok::LParen
            }
            b')' => {
                i += 1;
                Tok::RParen
            }
            b']' => {
                i += 1;
                Tok::RBracket
            }
            b'*' => {
                i += 1;
                Tok::Star
            }
            b'[' => {
                if b.get(i + 1) == Some(&b']') {
                    i += 2;
                    Tok::Flatten
                } else if b.get(i + 1) == Some(&b'?') {
                    i += 2;
                    Tok::Filter
                } else {
                    i += 1;
                    Tok::LBracket
                }
            }
            b'&' if b.get(i + 1) == Some(&b'&') => {
                i += 2;
                Tok::And
            }
            b'|' if b.get(i + 1) == Some(&b'|') => {
                i += 2;
                Tok::Or
            }
            b'|' => {
                i += 1;
                Tok::Pipe
            }
            b'=' if b.get(i + 1) == Some(&b'=') => {
                i += 2;
                Tok::Cmp(Cmp::Eq)
            }
            b'!' if b.get(i + 1) == Some(&b'=') => {
                i += 2;
                Tok::Cmp(Cmp::Ne)
            }
            b'!' => {
                i += 1;
                Tok::Not
            }
            b'<' | b'>' => {
                let eq = b.get(i + 1) == Some(&b'=');
                i += if eq { 2 } else { 1 };
                Tok::Cmp(match (c, eq) {
                    (b'<', false) => Cmp::Lt,
                    (b'<', true) => Cmp::Le,
                    (_, false) => Cmp::Gt,
                    _ => Cmp::Ge,
                })
            }
            b'`' => {
                let end = src[i + 1..].find('`').ok_or_else(|| err(i, "unterminated literal"))? + i + 1;
                let text = &src[i + 1..end];
                let value = serde_json::from_str(text)
                    .or_else(|_| serde_json::from_str(&format!("\"{text}\"")))
                    .map_err(|_| err(i, "invalid JSON literal"))?;
                i = end + 1;
                Tok::Literal(value)
            }
            b'\'' => {
                let end = src[i + 1..].find('\'').ok_or_else(|| err(i, "unterminated raw string"))? + i + 1;
                let text = src[i + 1..end].to_owned();
                i = end + 1;
                Tok::Literal(serde_json::Value::String(text))
            }
            b'"' => {
                let end = src[i + 1..].find('"').ok_or_else(|| err(i, "unterminated quoted identifier"))? + i + 1;
                let name = src[i + 1..end].to_owned();
                i = end + 1;
                Tok::Ident(name)
            }
            b':' => {
                i += 1;
                Tok::Colon
            }
            c if c.is_ascii_digit() || (c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) => {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                Tok::Number(src[start..i].parse().map_err(|_| err(start, "index out of range"))?)
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                Tok::Ident(src[start..i].to_owned())
            }
            _ => return Err(err(i, &format!("unexpected character `{}`", src[i..].chars().next().unwrap_or('?')))),
        };
        out.push((start, tok));
    }
    out.push((src.len(), Tok::Eof));
    Ok(out)
}

/// Binding powers, as in the JMESPath reference parser.
fn lbp(t: &Tok) -> u8 {
    match t {
        Tok::Pipe => 1,
        Tok::Or => 2,
        Tok::And => 3,
        Tok::Cmp(_) => 5,
        Tok::Flatten => 9,
        Tok::Star => 20,
        Tok::Filter => 21,
        Tok::Dot => 40,
        Tok::Not => 45,
        Tok::LBracket => 55,
        Tok::LParen => 60,
        _ => 0,
    }
}

/// Parses an expression.
pub fn parse(src: &str) -> Result<Ast, ParseError> {
    let toks = tokenize(src)?;
    let mut p = Parser { toks, pos: 0 };
    let ast = p.expr(0)?;
    match p.peek() {
        Tok::Eof => Ok(ast),
        t => Err(p.err(format!("unexpected {t:?} after the expression"))),
    }
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].1
    }

    fn at(&self) -> usize {
        self.toks[self.pos.min(self.toks.len() - 1)].0
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn err(&self, message: impl Into<String>) -> ParseError {
        ParseError { at: self.at(), message: message.into() }
    }

    fn unsupported(&self, what: &str) -> ParseError {
        self.err(format!(
            "{what} is not supported (supported: field paths, indexes, `[]`, `[*]`, `*` and `[?…]` projections, \
             length(), contains(), comparisons, &&, ||, !)"
        ))
    }

    fn expr(&mut self, rbp: u8) -> Result<Ast, ParseError> {
        let mut left = self.nud()?;
        while rbp < lbp(self.peek()) {
            left = self.led(left)?;
        }
        Ok(left)
    }

    fn nud(&mut self) -> Result<Ast, ParseError> {
        match self.next() {
            Tok::Ident(name) => {
                if *self.peek() == Tok::LParen {
                    self.next();
                    return self.function(name);
                }
                Ok(Ast::Field(name))
            }
            Tok::At => Ok(Ast::Identity),
            Tok::Literal(v) => Ok(Ast::Literal(v)),
            Tok::Not => Ok(Ast::Not(Box::new(self.expr(lbp(&Tok::Not))?))),
            Tok::LParen => {
                let inner = self.expr(0)?;
                match self.next() {
                    Tok::RParen => Ok(inner),
                    _ => Err(self.err("expected `)`")),
                }
            }
            Tok::Flatten => {
                let rhs = self.projection_rhs(lbp(&Tok::Flatten))?;
                Ok(Ast::Projection(Box::new(Ast::Flatten(Box::new(Ast::Identity))), Box::new(rhs)))
            }
            Tok::Star => self.value_projection(Ast::Identity),
            Tok::LBracket => self.bracket(Ast::Identity),
            Tok::Filter => self.filter(Ast::Identity),
            t => Err(self.err(format!("unexpected {t:?}"))),
        }
    }

    fn led(&mut self, left: Ast) -> Result<Ast, ParseError> {
        match self.next() {
            Tok::Dot if *self.peek() == Tok::Star => {
                self.next();
                self.value_projection(left)
            }
            Tok::Dot => {
                let rhs = self.dot_rhs(lbp(&Tok::Dot))?;
                Ok(Ast::Sub(Box::new(left), Box::new(rhs)))
            }
            Tok::Flatten => {
                let rhs = self.projection_rhs(lbp(&Tok::Flatten))?;
                Ok(Ast::Projection(Box::new(Ast::Flatten(Box::new(left))), Box::new(rhs)))
            }
            Tok::LBracket => self.bracket(left),
            Tok::Cmp(op) => {
                let rhs = self.expr(lbp(&Tok::Cmp(op)))?;
                Ok(Ast::Compare(op, Box::new(left), Box::new(rhs)))
            }
            Tok::And => Ok(Ast::And(Box::new(left), Box::new(self.expr(lbp(&Tok::And))?))),
            Tok::Or => Ok(Ast::Or(Box::new(left), Box::new(self.expr(lbp(&Tok::Or))?))),
            Tok::Pipe => Err(self.unsupported("a pipe `|`")),
            Tok::Filter => self.filter(left),
            t => Err(self.err(format!("unexpected {t:?}"))),
        }
    }

    /// `[*]` (a list projection) or `[n]` (an index) after `left`; slices are refused.
    fn bracket(&mut self, left: Ast) -> Result<Ast, ParseError> {
        match self.next() {
            Tok::Star => match self.next() {
                Tok::RBracket => {
                    let rhs = self.projection_rhs(lbp(&Tok::Star))?;
                    Ok(Ast::Projection(Box::new(left), Box::new(rhs)))
                }
                _ => Err(self.err("expected `]`")),
            },
            Tok::Number(n) => match self.next() {
                Tok::RBracket => Ok(Ast::Index(Box::new(left), n)),
                Tok::Colon => Err(self.unsupported("a slice `[…:…]`")),
                _ => Err(self.err("expected `]`")),
            },
            Tok::Colon => Err(self.unsupported("a slice `[…:…]`")),
            _ => Err(self.unsupported("a multi-select list `[…, …]`")),
        }
    }

    /// `*` (already read) after `left`: a projection over its values.
    fn value_projection(&mut self, left: Ast) -> Result<Ast, ParseError> {
        let rhs = self.projection_rhs(lbp(&Tok::Star))?;
        Ok(Ast::ValueProjection(Box::new(left), Box::new(rhs)))
    }

    /// `[?` (already read) after `left`: the condition, `]`, and the projected rest.
    fn filter(&mut self, left: Ast) -> Result<Ast, ParseError> {
        let condition = self.expr(0)?;
        if self.next() != Tok::RBracket {
            return Err(self.err("expected `]` after the filter's condition"));
        }
        let rhs = self.projection_rhs(lbp(&Tok::Filter))?;
        Ok(Ast::FilterProjection(Box::new(left), Box::new(condition), Box::new(rhs)))
    }

    fn projection_rhs(&mut self, rbp: u8) -> Result<Ast, ParseError> {
        let t = self.peek().clone();
        if lbp(&t) < 10 {
            return Ok(Ast::Identity);
        }
        match t {
            Tok::Dot => {
                self.next();
                self.dot_rhs(rbp)
            }
            Tok::LBracket | Tok::Flatten | Tok::Filter => self.expr(rbp),
            t => Err(self.err(format!("unexpected {t:?} after a projection"))),
        }
    }

    fn dot_rhs(&mut self, rbp: u8) -> Result<Ast, ParseError> {
        match self.peek() {
            Tok::Ident(_) | Tok::Star => self.expr(rbp),
            Tok::LBracket => Err(self.unsupported("a multi-select list")),
            t => Err(self.err(format!("unexpected {t:?} after `.`"))),
        }
    }

    fn function(&mut self, name: String) -> Result<Ast, ParseError> {
        let mut args = Vec::new();
        if *self.peek() != Tok::RParen {
            loop {
                args.push(self.expr(0)?);
                match self.next() {
                    Tok::Comma => continue,
                    Tok::RParen => break,
                    _ => return Err(self.err("expected `,` or `)` in the arguments")),
                }
            }
        } else {
            self.next();
        }
        match (name.as_str(), args.len()) {
            ("length", 1) | ("contains", 2) => Ok(Ast::Function(name, args)),
            ("length", n) => Err(self.err(format!("length() takes one argument, not {n}"))),
            ("contains", n) => Err(self.err(format!("contains() takes two arguments, not {n}"))),
            _ => Err(self.unsupported(&format!("the function `{name}()`"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str) -> Box<Ast> {
        Box::new(Ast::Field(name.into()))
    }

    #[test]
    fn parses_the_supported_forms() {
        assert_eq!(
            parse("CacheClusters[].CacheClusterStatus").unwrap(),
            Ast::Projection(Box::new(Ast::Flatten(f("CacheClusters"))), f("CacheClusterStatus"))
        );
        assert_eq!(parse("A.B").unwrap(), Ast::Sub(f("A"), f("B")));
        assert_eq!(parse("A[*].B").unwrap(), Ast::Projection(f("A"), f("B")));
        let nested = parse("Reservations[].Instances[].State.Name").unwrap();
        assert_eq!(
            nested,
            Ast::Projection(
                Box::new(Ast::Flatten(Box::new(Ast::Projection(Box::new(Ast::Flatten(f("Reservations"))), f("Instances"))))),
                Box::new(Ast::Sub(f("State"), f("Name")))
            )
        );
        assert!(matches!(parse("length(A[]) > `0`").unwrap(), Ast::Compare(Cmp::Gt, _, _)));
        assert_eq!(parse("Jobs[-1].JobId").unwrap(), Ast::Sub(Box::new(Ast::Index(f("Jobs"), -1)), f("JobId")));
        assert_eq!(parse("A[2]").unwrap(), Ast::Index(f("A"), 2));
        assert_eq!(
            parse("VerificationAttributes.*.VerificationStatus").unwrap(),
            Ast::ValueProjection(f("VerificationAttributes"), f("VerificationStatus"))
        );
        assert_eq!(parse("*.B").unwrap(), Ast::ValueProjection(Box::new(Ast::Identity), f("B")));
        assert_eq!(
            parse("A[?B == 'x'].C").unwrap(),
            Ast::FilterProjection(
                f("A"),
                Box::new(Ast::Compare(Cmp::Eq, f("B"), Box::new(Ast::Literal(serde_json::json!("x"))))),
                f("C")
            )
        );
        assert_eq!(
            parse("contains(A[].B, `\"y\"`)").unwrap(),
            Ast::Function(
                "contains".into(),
                vec![
                    Ast::Projection(Box::new(Ast::Flatten(f("A"))), f("B")),
                    Ast::Literal(serde_json::json!("y"))
                ]
            )
        );
        assert!(matches!(parse("A == 'x' && !(B || C)").unwrap(), Ast::And(_, _)));
    }

    #[test]
    fn refuses_the_rest_clearly() {
        for (src, what) in [
            ("A[0:2]", "slice"),
            ("A[:2]", "slice"),
            ("A | B", "pipe"),
            ("contains(A)", "two arguments"),
            ("max(A)", "`max()`"),
            ("A.[B, C]", "multi-select"),
            ("A[B, C]", "multi-select"),
            ("A[?B", "expected `]`"),
            ("A `", "unterminated"),
        ] {
            let e = parse(src).unwrap_err();
            assert!(e.message.contains(what), "{src}: {e}");
        }
    }
}

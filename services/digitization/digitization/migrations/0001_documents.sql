-- Document metadata; the bytes live in the blob store under their SHA-256 address.
CREATE TABLE documents (
    document_id    uuid PRIMARY KEY,
    sha256         char(64) NOT NULL,
    owner_subject_id text NOT NULL,
    document_type  text NOT NULL,
    content_type   text NOT NULL,
    size_bytes     bigint NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX documents_owner ON documents (owner_subject_id);

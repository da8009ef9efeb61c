-- The warehouse: blobs by content address, documents (metadata) pointing at them, the
-- dossiers each document is attached to (submitted, issued or reused), and every read.
-- 0001's table held no data yet; it is replaced by the full shape.
DROP TABLE documents;

CREATE TABLE blobs (
    sha256                    char(64) PRIMARY KEY,
    content_type              text NOT NULL,
    size_bytes                bigint NOT NULL,
    page_count                integer,
    signature_status          text NOT NULL,
    signer                    text,
    signer_certificate_sha256 char(64),
    signer_trusted            boolean NOT NULL DEFAULT false,
    signature_detail          text,
    stored_at                 timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE documents (
    document_id      uuid PRIMARY KEY,
    kind             text NOT NULL,
    sha256           char(64) NOT NULL REFERENCES blobs,
    owner_subject_id text NOT NULL,
    owner_id_number  text,
    document_type    text NOT NULL,
    issuing_agency   text,
    dossier_id       uuid,
    unit_code        text,
    valid_until      date,
    created_at       timestamptz NOT NULL,
    revoked_at       timestamptz,
    revoked_reason   text,
    revoked_by       text
);
CREATE INDEX documents_owner ON documents (owner_subject_id);
CREATE INDEX documents_sha256 ON documents (sha256);

CREATE TABLE document_dossiers (
    document_id uuid NOT NULL REFERENCES documents,
    dossier_id  uuid NOT NULL,
    unit_code   text NOT NULL,
    reused      boolean NOT NULL,
    linked_at   timestamptz NOT NULL,
    PRIMARY KEY (document_id, dossier_id)
);
CREATE INDEX document_dossiers_unit ON document_dossiers (unit_code, dossier_id);

CREATE TABLE document_reads (
    id            bigserial PRIMARY KEY,
    document_id   uuid NOT NULL,
    reader        text NOT NULL,
    reader_role   text NOT NULL,
    reader_agency text,
    reader_unit   text,
    what          text NOT NULL,
    allowed       boolean NOT NULL,
    read_at       timestamptz NOT NULL
);
CREATE INDEX document_reads_document ON document_reads (document_id, read_at);

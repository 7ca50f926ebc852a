-- The catalogue in English next to Ukrainian (SPEC: every screen in both languages): service
-- names, documents and fees, center names and addresses. NULL or empty = shown in Ukrainian.
ALTER TABLE services
  ADD COLUMN name_en text,
  ADD COLUMN documents_en text[] NOT NULL DEFAULT '{}',
  ADD COLUMN price_en text;
ALTER TABLE centers
  ADD COLUMN name_en text,
  ADD COLUMN address_en text;

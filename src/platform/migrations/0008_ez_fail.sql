-- Raises an error whose message is a problem code: a single-statement claim (see
-- booking-store.writeOnlineBooking) calls it when one of its conditional parts did not happen,
-- so that the whole statement, and every claim it already made, is rolled back.
CREATE FUNCTION ez_fail(code text) RETURNS int LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = code, ERRCODE = 'P0001';
END;
$$;

package io.datahop.db;

import java.util.List;

/**
 * What one transaction did to the indices, as stored in its commit record so another process
 * can replay it onto the last stored index base.
 *
 * @param removes current datoms retracted (with their original tx)
 * @param adds datoms asserted
 * @param historyAdds datoms added to the history indices (retracted assertions and retractions)
 * @param refAttrs ids of the ref attributes among them (they also go to VAET)
 */
record Changes(List<Datom> removes, List<Datom> adds, List<Datom> historyAdds, long[] refAttrs) {
  long size() {
    return removes.size() + adds.size() + historyAdds.size();
  }

  boolean isRef(long a) {
    for (long r : refAttrs) if (r == a) return true;
    return false;
  }
}

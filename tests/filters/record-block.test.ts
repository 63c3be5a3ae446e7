// A port by intent of POE's t/10_units/05_filters/06_recordblock.t
// (BlockSize, CheckPut, blocksize(), checkput(), put_pending()).

import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { FilterRecordBlock } from "../../filters/record-block.js";
import { testFilterInterface, testFilterStandard, thrown } from "../helpers/filter-conformance.js";

testFilterInterface("Filter.RecordBlock", FilterRecordBlock);

testFilterStandard(
  "Filter.RecordBlock",
  FilterRecordBlock.new({ BlockSize: 4 }),
  ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
  [["1", "2", "3", "4"], ["5", "6", "7", "8"]],
  ["1", "2", "3", "4", "5", "6", "7", "8"],
);

// ---

const blocksize = suite("Filter.RecordBlock blocksize");

blocksize("returns and changes the block size", () => {
  const filter = FilterRecordBlock.new({ BlockSize: 4 });
  assert.is(filter.blocksize(), 4);
  filter.blocksize(2);
  assert.is(filter.blocksize(), 2);
});

blocksize("ignores invalid sizes", () => {
  const filter = FilterRecordBlock.new({ BlockSize: 2 });
  for (const bad of [undefined, "elephant", -50, 0, 1.5]) filter.blocksize(bad as never);
  assert.is(filter.blocksize(), 2);
});

blocksize("croaks in new() without a positive BlockSize", () => {
  for (const params of [{ BlockSize: 0 }, {}, { BlockSize: "elephant" }]) {
    assert.is(thrown(() => FilterRecordBlock.new(params as never)).message, "BlockSize must be greater than 0");
  }
});

blocksize("get_one returns nothing until a whole block is buffered", () => {
  const filter = FilterRecordBlock.new({ BlockSize: 3 });
  filter.get_one_start(["a", "b"]);
  assert.equal(filter.get_one(), []);
  assert.equal(filter.get_pending(), ["a", "b"]);
  filter.get_one_start(["c"]);
  assert.equal(filter.get_one(), [["a", "b", "c"]]);
  assert.is(filter.get_pending(), undefined);
});

blocksize.run();

// ---

const checkput = suite("Filter.RecordBlock checkput");

checkput("with CheckPut, put emits only whole blocks and keeps the rest", () => {
  const filter = FilterRecordBlock.new({ BlockSize: 3, CheckPut: true });
  assert.equal(filter.put([["1", "2"], ["3", "A"]]), ["1", "2", "3"]);
  assert.equal(filter.put_pending(), ["A"]);
  assert.equal(filter.put([["2", "3", "1", "2", "3"], ["1", "2", "3", "B"]]), ["A", "2", "3", "1", "2", "3", "1", "2", "3"]);
  assert.equal(filter.put_pending(), ["B"]);
  assert.equal(filter.put([["2", "3", "1", "2"], ["3", "1"], ["2", "3", "1"], ["2", "3"]]), ["B", "2", "3", "1", "2", "3", "1", "2", "3", "1", "2", "3"]);
  assert.is(filter.put_pending(), undefined);
});

checkput("checkput() returns and changes the flag", () => {
  const filter = FilterRecordBlock.new({ BlockSize: 3, CheckPut: true });
  assert.ok(filter.checkput());
  filter.checkput(false);
  assert.not.ok(filter.checkput());
});

checkput("without CheckPut, put flattens every block whatever its size", () => {
  const filter = FilterRecordBlock.new({ BlockSize: 3 });
  assert.not.ok(filter.checkput());
  assert.equal(filter.put([["1", "2"], ["1", "2"]]), ["1", "2", "1", "2"]);
  assert.is(filter.put_pending(), undefined);
  assert.equal(filter.put([["1", "2", "3", "4", "5"], ["1", "2", "3", "4"]]), ["1", "2", "3", "4", "5", "1", "2", "3", "4"]);
});

checkput("clone keeps BlockSize and CheckPut with empty buffers", () => {
  const filter = FilterRecordBlock.new({ BlockSize: 2, CheckPut: true });
  filter.put([["x"]]);
  filter.get_one_start(["y"]);
  const twin = filter.clone();
  assert.is(twin.get_pending(), undefined);
  assert.is(twin.put_pending(), undefined);
  assert.equal(twin.put([["a", "b", "c"]]), ["a", "b"]);
});

checkput.run();

// ---

const properties = suite("Filter.RecordBlock properties");

properties("get groups records into blocks and put flattens them back", () => {
  fc.assert(
    fc.property(fc.array(fc.string(), { maxLength: 30 }), fc.integer({ min: 1, max: 5 }), (records, size) => {
      const filter = FilterRecordBlock.new({ BlockSize: size });
      const blocks = filter.get(records);
      const whole = records.length - (records.length % size);
      assert.equal(filter.put(blocks), records.slice(0, whole));
      assert.equal(filter.get_pending(), whole === records.length ? undefined : records.slice(whole));
    }),
  );
});

properties.run();

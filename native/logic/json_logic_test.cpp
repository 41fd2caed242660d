// JSONLogic evaluator tests: a table per operation whose expected results were produced by
// json-logic-js 2.0.5 (the reference; src/engine/json-logic.diff.test.ts keeps comparing the two
// on random rules), plus error pointers and the limits that protect against hostile input.
#include <doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "logic/json_logic.h"

using namespace tessera::logic;

namespace {

struct Case {
  const char* group;
  const char* rule;
  const char* data;
  const char* expected;  // JSON.stringify of json-logic-js's result, or "error: <message>"
};

const Case kCases[] = {
// var
    {"var", R"~({"var":"a"})~", R"~({"a":1})~", "1"},
    {"var", R"~({"var":["a"]})~", R"~({"a":1})~", "1"},
    {"var", R"~({"var":"a.b.c"})~", R"~({"a":{"b":{"c":"deep"}}})~", "\"deep\""},
    {"var", R"~({"var":"a.b"})~", R"~({"a":null})~", "null"},
    {"var", R"~({"var":["a.b","dflt"]})~", R"~({"a":null})~", "\"dflt\""},
    {"var", R"~({"var":["a","dflt"]})~", R"~({"a":null})~", "null"},
    {"var", R"~({"var":["z","dflt"]})~", R"~({"a":1})~", "\"dflt\""},
    {"var", R"~({"var":"z"})~", R"~({})~", "null"},
    {"var", R"~({"var":""})~", R"~({"a":[1,2]})~", "{\"a\":[1,2]}"},
    {"var", R"~({"var":[]})~", R"~(7)~", "7"},
    {"var", R"~({"var":null})~", R"~("whole")~", "\"whole\""},
    {"var", R"~({"var":1})~", R"~(["a","b","c"])~", "\"b\""},
    {"var", R"~({"var":"1"})~", R"~(["a","b"])~", "\"b\""},
    {"var", R"~({"var":"01"})~", R"~(["a","b"])~", "null"},
    {"var", R"~({"var":"x.1.y"})~", R"~({"x":[{"y":1},{"y":2}]})~", "2"},
    {"var", R"~({"var":"s.length"})~", R"~({"s":"héllo"})~", "5"},
    {"var", R"~({"var":"arr.length"})~", R"~({"arr":[1,2,3]})~", "3"},
    {"var", R"~({"var":"s.1"})~", R"~({"s":"abc"})~", "\"b\""},
    {"var", R"~({"var":1.5})~", R"~({"1":{"5":"dotted number"}})~", "\"dotted number\""},
    {"var", R"~({"var":["a",{"cat":["x","y"]}]})~", R"~({})~", "\"xy\""},
    {"var", R"~({"var":[{"cat":["a",".b"]}]})~", R"~({"a":{"b":42}})~", "42"},
    {"var", R"~({"var":"a"})~", R"~(null)~", "null"},
    {"var", R"~({"var":"a"})~", R"~(5)~", "null"},
    {"var", R"~({"var":""})~", R"~(null)~", "null"},
    {"var", R"~({"var":[[1,2]]})~", R"~({"1,2":"joined"})~", "\"joined\""},
    {"var", R"~({"var":"0"})~", R"~("str")~", "\"s\""},
    {"var", R"~({"var":true})~", R"~({"true":1})~", "1"},
    {"var", R"~({"var":"a."})~", R"~({"a":{"":3}})~", "3"},
    {"var", R"~({"var":["a",null]})~", R"~({})~", "null"},
    {"var", R"~({"var":["a",0]})~", R"~({"a":0})~", "0"},
// missing
    {"missing", R"~({"missing":["a","b"]})~", R"~({"a":1})~", "[\"b\"]"},
    {"missing", R"~({"missing":[["a","b"]]})~", R"~({"b":""})~", "[\"a\",\"b\"]"},
    {"missing", R"~({"missing":"a"})~", R"~({})~", "[\"a\"]"},
    {"missing", R"~({"missing":[]})~", R"~({})~", "[]"},
    {"missing", R"~({"missing":["a.b","c"]})~", R"~({"a":{"b":0},"c":false})~", "[]"},
    {"missing", R"~({"missing":[1,"x"]})~", R"~([5,6])~", "[\"x\"]"},
    {"missing", R"~({"missing":{"merge":["a",["b"]]}})~", R"~({"b":1})~", "[\"a\"]"},
    {"missing", R"~({"missing":[null]})~", R"~(null)~", "[null]"},
    {"missing", R"~({"missing":[["a","dflt"]]})~", R"~({})~", "[\"a\",\"dflt\"]"},
    {"missing", R"~({"if":[{"missing":["a"]},"missing","ok"]})~", R"~({"a":1})~", "\"ok\""},
// missing_some
    {"missing_some", R"~({"missing_some":[1,["a","b","c"]]})~", R"~({"a":1})~", "[]"},
    {"missing_some", R"~({"missing_some":[2,["a","b","c"]]})~", R"~({"a":1})~", "[\"b\",\"c\"]"},
    {"missing_some", R"~({"missing_some":[0,["a","b"]]})~", R"~({})~", "[]"},
    {"missing_some", R"~({"missing_some":[3,["a","b"]]})~", R"~({"a":1,"b":2})~", "[]"},
    {"missing_some", R"~({"missing_some":[1,"ab"]})~", R"~({})~", "[]"},
    {"missing_some", R"~({"missing_some":["1",["a"]]})~", R"~({"a":1})~", "[]"},
    {"missing_some", R"~({"missing_some":[1,[]]})~", R"~({})~", "[]"},
    {"missing_some", R"~({"missing_some":[1,5]})~", R"~({})~", "[5]"},
    {"missing_some", R"~({"missing_some":[1,{"var":"opts"}]})~", R"~({"opts":["x","y"],"y":1})~", "[]"},
    {"missing_some", R"~({"missing_some":[1,null]})~", R"~({})~", "error: Cannot read properties of null (reading 'length')"},
    {"missing_some", R"~({"missing_some":[1]})~", R"~({})~", "error: Cannot read properties of undefined (reading 'length')"},
// if
    {"if", R"~({"if":[true,"yes","no"]})~", R"~({})~", "\"yes\""},
    {"if", R"~({"if":[[],"yes","no"]})~", R"~({})~", "\"no\""},
    {"if", R"~({"if":["0","yes","no"]})~", R"~({})~", "\"yes\""},
    {"if", R"~({"if":[0,"a",false,"b","c"]})~", R"~({})~", "\"c\""},
    {"if", R"~({"if":[0,"a",1,"b","c"]})~", R"~({})~", "\"b\""},
    {"if", R"~({"if":[0,"a",0,"b"]})~", R"~({})~", "null"},
    {"if", R"~({"if":[]})~", R"~({})~", "null"},
    {"if", R"~({"if":"only"})~", R"~({})~", "\"only\""},
    {"if", R"~({"if":[false,"x"]})~", R"~({})~", "null"},
    {"if", R"~({"?:":[null,1,2]})~", R"~({})~", "2"},
    {"if", R"~({"if":[{"var":"x"},{"var":"x"},"none"]})~", R"~({"x":[0]})~", "[0]"},
    {"if", R"~({"if":[true,{"foo":1},{"bar":2}]})~", R"~({})~", "error: Unrecognized operation foo"},
// equality
    {"equality", R"~({"==":[1,"1"]})~", R"~({})~", "true"},
    {"equality", R"~({"==":[0,""]})~", R"~({})~", "true"},
    {"equality", R"~({"==":[null,0]})~", R"~({})~", "false"},
    {"equality", R"~({"==":[null,{"and":[]}]})~", R"~({})~", "true"},
    {"equality", R"~({"==":[[],""]})~", R"~({})~", "true"},
    {"equality", R"~({"==":[[1,2],"1,2"]})~", R"~({})~", "true"},
    {"equality", R"~({"==":[[[]],0]})~", R"~({})~", "true"},
    {"equality", R"~({"==":[true,"1"]})~", R"~({})~", "true"},
    {"equality", R"~({"==":[false,[]]})~", R"~({})~", "true"},
    {"equality", R"~({"==":[[0],false]})~", R"~({})~", "true"},
    {"equality", R"~({"==":["0x10",16]})~", R"~({})~", "true"},
    {"equality", R"~({"==":[" 12 ",12]})~", R"~({})~", "true"},
    {"equality", R"~({"==":[[1],[1]]})~", R"~({})~", "false"},
    {"equality", R"~({"==":[{"var":"a"},{"var":"a"}]})~", R"~({"a":[1]})~", "true"},
    {"equality", R"~({"===":[{"var":"a"},{"var":"a"}]})~", R"~({"a":{"x":1}})~", "true"},
    {"equality", R"~({"==":[{"a":1,"b":2},"[object Object]"]})~", R"~({})~", "true"},
    {"equality", R"~({"===":[1,"1"]})~", R"~({})~", "false"},
    {"equality", R"~({"===":[-0,0]})~", R"~({})~", "true"},
    {"equality", R"~({"!=":[1,"1"]})~", R"~({})~", "false"},
    {"equality", R"~({"!==":[1,"1"]})~", R"~({})~", "true"},
    {"equality", R"~({"==":[{"/":[0,0]},{"/":[0,0]}]})~", R"~({})~", "false"},
    {"equality", R"~({"==":[1]})~", R"~({})~", "false"},
    {"equality", R"~({"==":[null]})~", R"~({})~", "true"},
    {"equality", R"~({"===":["a","a"]})~", R"~({})~", "true"},
    {"equality", R"~({"==":[{"var":"o"},"[object Object]"]})~", R"~({"o":{"toString":1}})~", "error: Cannot convert object to primitive value"},
// truthiness
    {"truthiness", R"~({"!!":[[]]})~", R"~({})~", "false"},
    {"truthiness", R"~({"!!":[[0]]})~", R"~({})~", "true"},
    {"truthiness", R"~({"!!":["0"]})~", R"~({})~", "true"},
    {"truthiness", R"~({"!!":[""]})~", R"~({})~", "false"},
    {"truthiness", R"~({"!!":[{}]})~", R"~({})~", "true"},
    {"truthiness", R"~({"!!":{"/":[0,0]}})~", R"~({})~", "false"},
    {"truthiness", R"~({"!":[]})~", R"~({})~", "true"},
    {"truthiness", R"~({"!":[false]})~", R"~({})~", "true"},
    {"truthiness", R"~({"!":false})~", R"~({})~", "true"},
    {"truthiness", R"~({"!":[[]]})~", R"~({})~", "true"},
    {"truthiness", R"~({"!!":[-0]})~", R"~({})~", "false"},
    {"truthiness", R"~({"!":"a"})~", R"~({})~", "false"},
// and_or
    {"and_or", R"~({"and":[1,"a",[1]]})~", R"~({})~", "[1]"},
    {"and_or", R"~({"and":[1,0,{"foo":1}]})~", R"~({})~", "0"},
    {"and_or", R"~({"and":[]})~", R"~({})~", "null"},
    {"and_or", R"~({"or":[]})~", R"~({})~", "null"},
    {"and_or", R"~({"or":[0,"",[],null]})~", R"~({})~", "null"},
    {"and_or", R"~({"or":[0,"x",{"foo":1}]})~", R"~({})~", "\"x\""},
    {"and_or", R"~({"and":[true,[]]})~", R"~({})~", "[]"},
    {"and_or", R"~({"or":false})~", R"~({})~", "false"},
// relational
    {"relational", R"~({">":[2,1]})~", R"~({})~", "true"},
    {"relational", R"~({">":["2","10"]})~", R"~({})~", "true"},
    {"relational", R"~({">":[2,"10"]})~", R"~({})~", "false"},
    {"relational", R"~({"<":["a","b"]})~", R"~({})~", "true"},
    {"relational", R"~({"<":["B","a"]})~", R"~({})~", "true"},
    {"relational", R"~({"<":["é","😀"]})~", R"~({})~", "true"},
    {"relational", R"~({"<":["～","😀"]})~", R"~({})~", "false"},
    {"relational", R"~({"<":[1,2,3]})~", R"~({})~", "true"},
    {"relational", R"~({"<":[1,3,2]})~", R"~({})~", "false"},
    {"relational", R"~({"<":[1,1,3]})~", R"~({})~", "false"},
    {"relational", R"~({"<=":[1,1,3]})~", R"~({})~", "true"},
    {"relational", R"~({"<=":[1,4,3]})~", R"~({})~", "false"},
    {"relational", R"~({"<":[null,1]})~", R"~({})~", "true"},
    {"relational", R"~({"<":[[2],[10]]})~", R"~({})~", "false"},
    {"relational", R"~({"<":[[2],10]})~", R"~({})~", "true"},
    {"relational", R"~({">=":["abc",null]})~", R"~({})~", "false"},
    {"relational", R"~({"<=":["abc",null]})~", R"~({})~", "false"},
    {"relational", R"~({"<=":[null,0]})~", R"~({})~", "true"},
    {"relational", R"~({">=":[{"/":[0,0]},0]})~", R"~({})~", "false"},
    {"relational", R"~({"<":[0,{"/":[1,0]}]})~", R"~({})~", "true"},
    {"relational", R"~({"<":[{"-":[0]},0]})~", R"~({})~", "false"},
    {"relational", R"~({"<=":[1,1]})~", R"~({})~", "true"},
    {"relational", R"~({"<":[1,2,{"and":[]}]})~", R"~({})~", "true"},
    {"relational", R"~({"<":[2,1,{"var":"o"}]})~", R"~({"o":{"toString":0}})~", "false"},
    {"relational", R"~({">":[true,false]})~", R"~({})~", "true"},
    {"relational", R"~({"<":["",0.5]})~", R"~({})~", "true"},
    {"relational", R"~({"<":[1]})~", R"~({})~", "false"},
// arithmetic
    {"arithmetic", R"~({"+":[1,2,3,4]})~", R"~({})~", "10"},
    {"arithmetic", R"~({"+":"3"})~", R"~({})~", "3"},
    {"arithmetic", R"~({"+":[]})~", R"~({})~", "0"},
    {"arithmetic", R"~({"+":["1.5","2"]})~", R"~({})~", "3.5"},
    {"arithmetic", R"~({"+":["0x1f",1]})~", R"~({})~", "1"},
    {"arithmetic", R"~({"+":["1e3",0]})~", R"~({})~", "1000"},
    {"arithmetic", R"~({"+":["",1]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"+":["  12abc",1]})~", R"~({})~", "13"},
    {"arithmetic", R"~({"+":[[5],1]})~", R"~({})~", "6"},
    {"arithmetic", R"~({"+":[[],1]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"+":[null,1]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"+":[true,1]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"+":[".5",1]})~", R"~({})~", "1.5"},
    {"arithmetic", R"~({"+":["-Infinity",1]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"+":[-0]})~", R"~({})~", "0"},
    {"arithmetic", R"~({"*":[2,"3"]})~", R"~({})~", "6"},
    {"arithmetic", R"~({"*":"3"})~", R"~({})~", "\"3\""},
    {"arithmetic", R"~({"*":[[1,2]]})~", R"~({})~", "[1,2]"},
    {"arithmetic", R"~({"*":[]})~", R"~({})~", "error: Reduce of empty array with no initial value"},
    {"arithmetic", R"~({"*":[-0,5]})~", R"~({})~", "0"},
    {"arithmetic", R"~({"*":[-1,0,5]})~", R"~({})~", "0"},
    {"arithmetic", R"~({"*":["2x",3]})~", R"~({})~", "6"},
    {"arithmetic", R"~({"-":[5,2]})~", R"~({})~", "3"},
    {"arithmetic", R"~({"-":[5]})~", R"~({})~", "-5"},
    {"arithmetic", R"~({"-":"5"})~", R"~({})~", "-5"},
    {"arithmetic", R"~({"-":[""]})~", R"~({})~", "0"},
    {"arithmetic", R"~({"-":[]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"-":["0x1f","1e3"]})~", R"~({})~", "-969"},
    {"arithmetic", R"~({"-":[[5],[2]]})~", R"~({})~", "3"},
    {"arithmetic", R"~({"-":[null,true]})~", R"~({})~", "-1"},
    {"arithmetic", R"~({"-":["abc",1]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"/":[1,4]})~", R"~({})~", "0.25"},
    {"arithmetic", R"~({"/":[1,0]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"/":[1,{"-":0}]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"/":[" 8 ","\n2\t"]})~", R"~({})~", "4"},
    {"arithmetic", R"~({"%":[7,3]})~", R"~({})~", "1"},
    {"arithmetic", R"~({"%":[-7,3]})~", R"~({})~", "-1"},
    {"arithmetic", R"~({"%":[7,-3]})~", R"~({})~", "1"},
    {"arithmetic", R"~({"%":[7,0]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"%":[5.5,2]})~", R"~({})~", "1.5"},
    {"arithmetic", R"~({"%":["0b101","0o3"]})~", R"~({})~", "2"},
    {"arithmetic", R"~({"+":[0.1,0.2]})~", R"~({})~", "0.30000000000000004"},
    {"arithmetic", R"~({"+":[1e308,1e308]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"-":["1_000",1]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"-":["+.5e1",0]})~", R"~({})~", "5"},
    {"arithmetic", R"~({"-":[" ﻿7 ",0]})~", R"~({})~", "7"},
    {"arithmetic", R"~({"-":["Infinity",0]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"-":["infinity",0]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"-":["0x",0]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"-":["-0x10",0]})~", R"~({})~", "null"},
    {"arithmetic", R"~({"-":["0xFFFFFFFFFFFFFFFFF",0]})~", R"~({})~", "295147905179352830000"},
    {"arithmetic", R"~({"-":["1.",0]})~", R"~({})~", "1"},
    {"arithmetic", R"~({"-":[".",0]})~", R"~({})~", "null"},
// min_max
    {"min_max", R"~({"max":[1,2,3]})~", R"~({})~", "3"},
    {"min_max", R"~({"min":[1,2,3]})~", R"~({})~", "1"},
    {"min_max", R"~({"max":[]})~", R"~({})~", "null"},
    {"min_max", R"~({"min":[]})~", R"~({})~", "null"},
    {"min_max", R"~({"max":["7",[8]]})~", R"~({})~", "8"},
    {"min_max", R"~({"min":[1,"x"]})~", R"~({})~", "null"},
    {"min_max", R"~({"min":[0,-0]})~", R"~({})~", "0"},
    {"min_max", R"~({"max":[null,-1]})~", R"~({})~", "0"},
    {"min_max", R"~({"max":[{"var":"o"},1]})~", R"~({"o":{"toString":1}})~", "error: Cannot convert object to primitive value"},
// map_filter_reduce
    {"map_filter_reduce", R"~({"map":[[1,2,3],{"*":[{"var":""},2]}]})~", R"~({})~", "[2,4,6]"},
    {"map_filter_reduce", R"~({"map":[{"var":"xs"},{"+":[{"var":""},1]}]})~", R"~({"xs":[1,2]})~", "[2,3]"},
    {"map_filter_reduce", R"~({"map":["abc",{"var":""}]})~", R"~({})~", "[]"},
    {"map_filter_reduce", R"~({"map":[[1,2]]})~", R"~({})~", "[null,null]"},
    {"map_filter_reduce", R"~({"filter":[[1,2,3,4],{"%":[{"var":""},2]}]})~", R"~({})~", "[1,3]"},
    {"map_filter_reduce", R"~({"filter":[[0,"",[],[0],"0"],{"var":""}]})~", R"~({})~", "[[0],\"0\"]"},
    {"map_filter_reduce", R"~({"filter":[null,true]})~", R"~({})~", "[]"},
    {"map_filter_reduce", R"~({"reduce":[[1,2,3],{"+":[{"var":"current"},{"var":"accumulator"}]},0]})~", R"~({})~", "6"},
    {"map_filter_reduce", R"~({"reduce":[[1,2,3],{"+":[{"var":"current"},{"var":"accumulator"}]}]})~", R"~({})~", "null"},
    {"map_filter_reduce", R"~({"reduce":[[],{"+":[1,2]},"init"]})~", R"~({})~", "\"init\""},
    {"map_filter_reduce", R"~({"reduce":["x",{"+":[1,2]},"init"]})~", R"~({})~", "\"init\""},
    {"map_filter_reduce", R"~({"reduce":["x",{"+":[1,2]}]})~", R"~({})~", "null"},
    {"map_filter_reduce", R"~({"reduce":[[1,2],{"var":""},0]})~", R"~({})~", "{\"current\":2,\"accumulator\":{\"current\":1,\"accumulator\":0}}"},
    {"map_filter_reduce", R"~({"reduce":[[1,2],{"cat":[{"var":"accumulator"},{"var":"current"}]},""]})~", R"~({})~", "\"12\""},
    {"map_filter_reduce", R"~({"map":[[[1,2],[3]],{"map":[{"var":""},{"*":[{"var":""},10]}]}]})~", R"~({})~", "[[10,20],[30]]"},
    {"map_filter_reduce", R"~({"filter":[{"var":"people"},{">=":[{"var":"age"},18]}]})~", R"~({"people":[{"age":17},{"age":18},{"age":30}]})~", "[{\"age\":18},{\"age\":30}]"},
    {"map_filter_reduce", R"~({"map":[[{"a":1}],{"var":"a"}]})~", R"~({"a":"outer"})~", "error: Unrecognized operation a"},
// all_none_some
    {"all_none_some", R"~({"all":[[1,2],{">":[{"var":""},0]}]})~", R"~({})~", "true"},
    {"all_none_some", R"~({"all":[[],{">":[{"var":""},0]}]})~", R"~({})~", "false"},
    {"all_none_some", R"~({"all":[[1,0],{"var":""}]})~", R"~({})~", "false"},
    {"all_none_some", R"~({"none":[[],{"var":""}]})~", R"~({})~", "true"},
    {"all_none_some", R"~({"none":[[0,""],{"var":""}]})~", R"~({})~", "true"},
    {"all_none_some", R"~({"none":[[0,1],{"var":""}]})~", R"~({})~", "false"},
    {"all_none_some", R"~({"some":[[],true]})~", R"~({})~", "false"},
    {"all_none_some", R"~({"some":[[0,[]],{"var":""}]})~", R"~({})~", "false"},
    {"all_none_some", R"~({"some":[[0,[0]],{"var":""}]})~", R"~({})~", "true"},
    {"all_none_some", R"~({"all":["ab",true]})~", R"~({})~", "false"},
    {"all_none_some", R"~({"some":[{"var":"xs"},{"==":[{"var":"id"},2]}]})~", R"~({"xs":[{"id":1},{"id":2}]})~", "true"},
// merge_in_cat
    {"merge_in_cat", R"~({"merge":[[1,2],[3],4,[[5]]]})~", R"~({})~", "[1,2,3,4,[5]]"},
    {"merge_in_cat", R"~({"merge":[]})~", R"~({})~", "[]"},
    {"merge_in_cat", R"~({"merge":null})~", R"~({})~", "[null]"},
    {"merge_in_cat", R"~({"merge":[{"var":"a"},{"var":"b"}]})~", R"~({"a":[1],"b":{"x":1}})~", "[1,{\"x\":1}]"},
    {"merge_in_cat", R"~({"in":["Spring","Springfield"]})~", R"~({})~", "true"},
    {"merge_in_cat", R"~({"in":["","abc"]})~", R"~({})~", "true"},
    {"merge_in_cat", R"~({"in":[1,"a1b"]})~", R"~({})~", "true"},
    {"merge_in_cat", R"~({"in":[1,[1,2]]})~", R"~({})~", "true"},
    {"merge_in_cat", R"~({"in":["1",[1,2]]})~", R"~({})~", "false"},
    {"merge_in_cat", R"~({"in":["a",[]]})~", R"~({})~", "false"},
    {"merge_in_cat", R"~({"in":["a",null]})~", R"~({})~", "false"},
    {"merge_in_cat", R"~({"in":["a",5]})~", R"~({})~", "false"},
    {"merge_in_cat", R"~({"in":["a",{"a":1,"b":2}]})~", R"~({})~", "false"},
    {"merge_in_cat", R"~({"in":[null,"xnullx"]})~", R"~({})~", "true"},
    {"merge_in_cat", R"~({"in":[{"/":[0,0]},[{"/":[0,0]}]]})~", R"~({})~", "false"},
    {"merge_in_cat", R"~({"in":["x",{"var":"o"}]})~", R"~({"o":{"indexOf":1}})~", "error: b.indexOf is not a function"},
    {"merge_in_cat", R"~({"cat":["I love ","pie"]})~", R"~({})~", "\"I love pie\""},
    {"merge_in_cat", R"~({"cat":[1,2.5,true,null,[1,[2,null]],{"a":1,"b":2}]})~", R"~({})~", "\"12.5true1,2,[object Object]\""},
    {"merge_in_cat", R"~({"cat":[]})~", R"~({})~", "\"\""},
    {"merge_in_cat", R"~({"cat":"x"})~", R"~({})~", "\"x\""},
    {"merge_in_cat", R"~({"cat":[1e21,1e-7,123e-20,-0,0.000001,1.5e300,5e-324]})~", R"~({})~", "\"1e+211e-71.23e-1800.0000011.5e+3005e-324\""},
    {"merge_in_cat", R"~({"cat":[{"+":[0.1,0.2]},"|",{"/":[1,3]},"|",{"/":[2,3]}]})~", R"~({})~", "\"0.30000000000000004|0.3333333333333333|0.6666666666666666\""},
    {"merge_in_cat", R"~({"cat":[{"/":[0,0]},{"/":[1,0]},{"/":[-1,0]}]})~", R"~({})~", "\"NaNInfinity-Infinity\""},
    {"merge_in_cat", R"~({"cat":[123456789012345680000,1234567890123456789012]})~", R"~({})~", "\"1234567890123456800001.2345678901234568e+21\""},
    {"merge_in_cat", R"~({"cat":[{"var":"o"}]})~", R"~({"o":{"toString":"x"}})~", "error: Cannot convert object to primitive value"},
    {"merge_in_cat", R"~({"cat":[{"var":"o"}]})~", R"~({"o":{"valueOf":"x"}})~", "\"[object Object]\""},
// substr
    {"substr", R"~({"substr":["jsonlogic",4]})~", R"~({})~", "\"logic\""},
    {"substr", R"~({"substr":["jsonlogic",-5]})~", R"~({})~", "\"logic\""},
    {"substr", R"~({"substr":["jsonlogic",1,3]})~", R"~({})~", "\"son\""},
    {"substr", R"~({"substr":["jsonlogic",4,-2]})~", R"~({})~", "\"log\""},
    {"substr", R"~({"substr":["jsonlogic",-5,-2]})~", R"~({})~", "\"log\""},
    {"substr", R"~({"substr":["jsonlogic",0,-20]})~", R"~({})~", "\"\""},
    {"substr", R"~({"substr":["abc",1,"-1"]})~", R"~({})~", "\"\""},
    {"substr", R"~({"substr":["abc",1,[-1]]})~", R"~({})~", "\"\""},
    {"substr", R"~({"substr":["abc","1","1"]})~", R"~({})~", "\"b\""},
    {"substr", R"~({"substr":[12345,1,2]})~", R"~({})~", "\"23\""},
    {"substr", R"~({"substr":["abc"]})~", R"~({})~", "\"abc\""},
    {"substr", R"~({"substr":["abc",-100]})~", R"~({})~", "\"abc\""},
    {"substr", R"~({"substr":["abc",1.9,1.9]})~", R"~({})~", "\"b\""},
    {"substr", R"~({"substr":["😀x",1]})~", R"~({})~", "\"\\ude00x\""},
    {"substr", R"~({"substr":[null,1]})~", R"~({})~", "\"ull\""},
    {"substr", R"~({"substr":["abc",{"/":[1,0]}]})~", R"~({})~", "\"\""},
    {"substr", R"~({"substr":["abc",0,{"/":[1,0]}]})~", R"~({})~", "\"abc\""},
    {"substr", R"~({"substr":[[1,2],1]})~", R"~({})~", "\",2\""},
// literals
    {"literals", R"~({"a":1,"b":{"var":"x"}})~", R"~({"x":1})~", "{\"a\":1,\"b\":{\"var\":\"x\"}}"},
    {"literals", R"~({})~", R"~({})~", "{}"},
    {"literals", R"~([1,{"var":"x"},[{"var":"y"}]])~", R"~({"x":2,"y":3})~", "[1,2,[3]]"},
    {"literals", R"~("text")~", R"~({})~", "\"text\""},
    {"literals", R"~(null)~", R"~({})~", "null"},
    {"literals", R"~(-0)~", R"~({})~", "0"},
    {"literals", R"~({"log":"hello"})~", R"~({})~", "\"hello\""},
    {"literals", R"~({"log":[]})~", R"~({})~", "null"},
    {"literals", R"~({"var":""})~", R"~({"2":"b","1":"a","z":1,"y":2})~", "{\"1\":\"a\",\"2\":\"b\",\"z\":1,\"y\":2}"},
    {"literals", R"~({"var":""})~", R"~({"a":1,"a":2,"b":3})~", "{\"a\":2,\"b\":3}"},
    {"literals", R"~({"cat":["\u0001\t\"\\\u2028\ud83d\ude00"]})~", R"~({})~", "\"\\u0001\\t\\\"\\\\ 😀\""},
// errors
    {"errors", R"~({"foo":1})~", R"~({})~", "error: Unrecognized operation foo"},
    {"errors", R"~({"and":[1,{"foo":[1,2]}]})~", R"~({})~", "error: Unrecognized operation foo"},
    {"errors", R"~({"if":[true,{"nope":1}]})~", R"~({})~", "error: Unrecognized operation nope"},
    {"errors", R"~({"map":[[1],{"x":1}]})~", R"~({})~", "error: Unrecognized operation x"},
    {"errors", R"~({"cat":{"bad":1}})~", R"~({})~", "error: Unrecognized operation bad"},
    {"errors", R"~([0,{"==":[1,{"zz":1}]}])~", R"~({})~", "error: Unrecognized operation zz"},
    {"errors", R"~({"a.b":1})~", R"~({})~", "error: Unrecognized operation a.b (failed at a)"},
    {"errors", R"~({"var.x":1})~", R"~({})~", "error: Unrecognized operation var.x (failed at var.x)"},
    {"errors", R"~({"if.x":1})~", R"~({})~", "error: Unrecognized operation if.x (failed at if)"},
    {"errors", R"~({"var.length":1})~", R"~({})~", "error: operation.apply is not a function"},
    {"errors", R"~({"var.prototype.constructor":"a"})~", R"~({"a":5})~", "5"},
    {"errors", R"~({".x":1})~", R"~({})~", "error: Unrecognized operation .x"},
    {"errors", R"~({"":1})~", R"~({})~", "error: Unrecognized operation "},
    {"errors", R"~({"*":[]})~", R"~({})~", "error: Reduce of empty array with no initial value"},
    {"errors", R"~({"missing_some":[1,null]})~", R"~({})~", "error: Cannot read properties of null (reading 'length')"},
    {"errors", R"~({"foo":[{"bar":1}]})~", R"~({})~", "error: Unrecognized operation bar"},
    {"errors", R"~({"or":[0,{"a/b~c":1}]})~", R"~({})~", "error: Unrecognized operation a/b~c"},
    {"errors", R"~({"cat":[{"var":"o"}]})~", R"~({"o":{"toString":1}})~", "error: Cannot convert object to primitive value"},
};

std::string run(std::string_view rule, std::string_view data, const Limits& limits = {}) {
  const JsonResult r = evaluate_json(rule, data, limits);
  return r.ok ? r.json : "error: " + r.error;
}

void check_group(const char* group) {
  int count = 0;
  for (const Case& c : kCases) {
    if (std::string(c.group) != group) continue;
    ++count;
    INFO("rule " << c.rule << " with data " << c.data);
    CHECK(run(c.rule, c.data) == c.expected);
  }
  CHECK(count > 0);
}

}  // namespace

TEST_CASE("var: dotted paths, indexes, defaults, whole data") { check_group("var"); }
TEST_CASE("missing") { check_group("missing"); }
TEST_CASE("missing_some counts and re-evaluated options") { check_group("missing_some"); }
TEST_CASE("if / ?: with elseif chains") { check_group("if"); }
TEST_CASE("== === != !== with JavaScript coercions and identity") { check_group("equality"); }
TEST_CASE("! and !! use JSONLogic truthiness") { check_group("truthiness"); }
TEST_CASE("and / or short-circuit and return the deciding operand") { check_group("and_or"); }
TEST_CASE("> >= < <= including the between forms") { check_group("relational"); }
TEST_CASE("+ - * / % (parseFloat for + and *, ToNumber otherwise)") { check_group("arithmetic"); }
TEST_CASE("min / max") { check_group("min_max"); }
TEST_CASE("map / filter / reduce and their scopes") { check_group("map_filter_reduce"); }
TEST_CASE("all / none / some") { check_group("all_none_some"); }
TEST_CASE("merge / in / cat (JS number formatting)") { check_group("merge_in_cat"); }
TEST_CASE("substr with negative start and length") { check_group("substr"); }
TEST_CASE("literals, arrays of rules, multi-key objects, key order, log") { check_group("literals"); }
TEST_CASE("errors match json-logic-js's messages") { check_group("errors"); }

TEST_CASE("errors carry a JSON pointer to the failing rule node") {
  auto pointer = [](std::string_view rule) { return evaluate_json(rule, "{}").pointer; };
  CHECK(pointer(R"({"foo":1})") == "");
  CHECK(pointer(R"({"and":[1,{"foo":[1,2]}]})") == "/and/1");
  CHECK(pointer(R"({"if":[true,{"nope":1}]})") == "/if/1");
  CHECK(pointer(R"({"map":[[1],{"x":1}]})") == "/map/1");
  CHECK(pointer(R"({"cat":{"bad":1}})") == "/cat");
  CHECK(pointer(R"([0,{"==":[1,{"zz":1}]}])") == "/1/==/1");
  CHECK(pointer(R"({"or":[0,{"x":{"a/b~c":1}}]})") == "/or/1/x");
  CHECK(pointer(R"({"or":[0,{"a/b~c":[{"q":1}]}]})") == "/or/1/a~1b~0c/0");
  CHECK(pointer(R"({"missing_some":[1,null]})") == "");
  CHECK(pointer(R"({"if":[1,{"missing_some":[1,null]}]})") == "/if/1");
}

TEST_CASE("invalid JSON is reported for the rule or the data") {
  const JsonResult bad_rule = evaluate_json(R"({"var":)", "{}");
  CHECK_FALSE(bad_rule.ok);
  CHECK(bad_rule.error.rfind("rule: ", 0) == 0);
  CHECK(bad_rule.error.find("line 1") != std::string::npos);
  const JsonResult bad_data = evaluate_json(R"({"var":"a"})", "[1,");
  CHECK(bad_data.error.rfind("data: ", 0) == 0);
  CHECK_FALSE(evaluate_json("1 2", "{}").ok);
  CHECK_FALSE(evaluate_json("\"\xff\"", "{}").ok);  // strings must be UTF-8
}

TEST_CASE("the wasm envelope") {
  CHECK(to_envelope(evaluate_json(R"({"+":[1,2]})", "{}")) == R"({"ok":true,"value":3})");
  CHECK(to_envelope(evaluate_json(R"({"and":[{"x\"":1}]})", "{}")) ==
        R"({"ok":false,"error":"Unrecognized operation x\"","pointer":"/and/0"})");
}

TEST_CASE("-0 survives parsing and evaluation; NaN and Infinity become null only at the end") {
  CHECK(run(R"({"/":[1,{"var":"z"}]})", R"({"z":-0})") == "null");
  CHECK(run(R"({"<":[{"/":[1,{"var":"z"}]},0]})", R"({"z":-0})") == "true");
  CHECK(run(R"({"<":[{"/":[1,{"var":"z"}]},0]})", R"({"z":0})") == "false");
  CHECK(run(R"({"cat":[{"/":[1,0]}]})", "{}") == R"("Infinity")");
  CHECK(run(R"([{"/":[0,0]},{"-":[0]}])", "{}") == "[null,0]");
}

TEST_CASE("the C++ API: values, log sink, nlohmann documents") {
  const ParseResult rule = parse_json(R"({"log":{"var":"a"}})", 64);
  const ParseResult data = parse_json(R"({"a":[1,"x"]})", 64);
  REQUIRE(rule.ok);
  REQUIRE(data.ok);
  int logged = 0;
  LogSink sink{[](void* user, const Value& v) { *static_cast<int*>(user) += static_cast<int>(v.array_items().size()); },
               &logged};
  const EvalResult r = evaluate(rule.value, data.value, Limits{}, sink);
  REQUIRE(r.ok);
  CHECK(logged == 2);
  CHECK(r.value.identity() == data.value.find_member(u"a")->identity());

  const auto doc = nlohmann::ordered_json::parse(R"({"if":[{"var":"b"},"yes","no"]})", nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  const EvalResult from_dom = evaluate(doc, nlohmann::ordered_json::parse(R"({"b":[0]})", nullptr, false));
  REQUIRE(from_dom.ok);
  CHECK(from_dom.value.string_value() == u"yes");
}

TEST_CASE("limits: nesting depth") {
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += R"({"!":)";
  deep += "1";
  for (int i = 0; i < 300; ++i) deep += "}";
  const JsonResult r = evaluate_json(deep, "{}");
  CHECK_FALSE(r.ok);
  CHECK(r.error == "rule nesting deeper than 256 levels");
  CHECK(r.pointer.size() > 256);

  std::string ok_depth;
  for (int i = 0; i < 200; ++i) ok_depth += R"({"!":)";
  ok_depth += "1";
  for (int i = 0; i < 200; ++i) ok_depth += "}";
  CHECK(run(ok_depth, "{}") == "true");

  const std::string brackets(100000, '[');
  CHECK(evaluate_json(brackets, "{}").error == "rule: JSON nested deeper than 512 levels");
  CHECK(evaluate_json("1", brackets).error == "data: JSON nested deeper than 512 levels");
  // reduce can build nesting at run time: [[[...]]] grows one level per element.
  std::string items = "[";
  for (int i = 0; i < 600; ++i) items += i ? ",0" : "0";
  items += "]";
  CHECK(run(R"({"reduce":[{"var":"xs"},[{"var":"accumulator"}],0]})", R"({"xs":)" + items + "}") ==
        "error: a value would be nested deeper than 512 levels");
}

TEST_CASE("limits: input size") {
  Limits small;
  small.max_input_bytes = 10;
  CHECK(run("[1,2,3,4,5,6]", "{}", small) == "error: rule: JSON text larger than 10 bytes");
  CHECK(run("1", R"({"a":"0123456789"})", small) == "error: data: JSON text larger than 10 bytes");
  CHECK(run("[1,2,3,4]", "{}", small) == "[1,2,3,4]");
}

TEST_CASE("limits: steps, string and array sizes, allocation, result size") {
  Limits small;
  small.max_steps = 1000;
  CHECK(run(R"({"map":[{"var":"xs"},{"+":[{"var":""},1]}]})", R"({"xs":[1,1]})", small) == "[2,2]");
  std::string xs = "[";
  for (int i = 0; i < 2000; ++i) xs += i ? ",1" : "1";
  xs += "]";
  CHECK(run(R"({"map":[{"var":"xs"},{"+":[{"var":""},1]}]})", R"({"xs":)" + xs + "}", small) ==
        "error: evaluation exceeded 1000 steps");

  // Doubling a string each step: stopped by the string limit, not by memory.
  const std::string doubling = R"({"reduce":[{"var":"xs"},{"cat":[{"var":"accumulator"},{"var":"accumulator"}]},"ab"]})";
  CHECK(run(doubling, R"({"xs":)" + xs + "}") == "error: a string would be longer than 1000000 code units");
  // Growing an array by merging it with itself.
  const std::string merging = R"({"reduce":[{"var":"xs"},{"merge":[{"var":"accumulator"},{"var":"accumulator"}]},[1]]})";
  CHECK(run(merging, R"({"xs":)" + xs + "}") == "error: an array would be longer than 100000 elements");
  // Many big strings that are each allowed: stopped by the cumulative allocation limit.
  Limits alloc;
  alloc.max_allocation_bytes = 1 << 20;
  const std::string big_string = "\"" + std::string(5000, 'a') + "\"";
  const std::string data = R"({"xs":)" + xs + "}";
  CHECK(run(R"({"map":[{"var":"xs"},{"cat":[)" + big_string + R"(,"!"]}]})", data, alloc) ==
        "error: evaluation built more than 1048576 bytes");
  // A result that repeats one big string many times: stopped when serializing.
  Limits result;
  result.max_result_bytes = 100000;
  CHECK(run(R"({"map":[{"var":"xs"},)" + big_string + "]}", data, result) ==
        "error: the result is larger than 100000 bytes of JSON");
  // Searching is charged: scanning a long string costs steps.
  Limits scan;
  scan.max_steps = 50;
  CHECK(run(R"({"in":["b",)" + big_string + "]}", "{}", scan) == "error: evaluation exceeded 50 steps");
  CHECK(run(R"({"in":["b",)" + big_string + "]}", "{}") == "false");
}

// ---- compiled programs ---------------------------------------------------------------------------

namespace {

Value parsed(std::string_view text) {
  const ParseResult r = parse_json(text, 512);
  REQUIRE_MESSAGE(r.ok, text);
  return r.value;
}

std::string describe(const EvalResult& r) {
  if (!r.ok) return "error: " + r.error + " @" + r.pointer;
  std::string json;
  Limits limits;
  Budget budget(limits);
  REQUIRE(to_json(r.value, json, budget));
  return json;
}

// Rules compiled once and evaluated against every data object below; each result must equal the
// uncompiled path's (value, error message and pointer).
const char* const kCompiledRules[] = {
    R"({"and":[{"==":[{"var":"viewer.language"},"cy"]},{">=":[{"var":"viewer.age"},16]},{"in":[{"var":"device"},["tv","desktop","tablet"]]},{"if":[{"var":"captions"},{"!":{"var":"audioDescription"}},true]},{"<":[0,{"var":"timeOfDay"},24]}]})",
    R"({"var":"viewer"})",
    R"({"var":["viewer.age",99]})",
    R"({"var":["nope",{"cat":["d","flt"]}]})",
    R"({"var":{"cat":["viewer",".","language"]}})",
    R"({"var":["device.length"]})",
    R"({"var":"device.0"})",
    R"({"var":""})",
    R"({"var":[]})",
    R"({"var":1})",
    R"({"var":[["viewer","age"]]})",
    R"({"missing":["viewer.age","nope",{"cat":["dev","ice"]}]})",
    R"({"missing":[["captions","zz"]]})",
    R"({"missing_some":[1,["viewer.language","nope"]]})",
    R"({"missing_some":[2,{"var":"keys"}]})",
    R"({"if":[{"var":"captions"},"on",{"var":"audioDescription"},"ad","off"]})",
    R"({"or":[{"var":"audioDescription"},{"var":"nope"},0]})",
    R"({"!":[{"var":"captions"}]})",
    R"({"cat":["hi ",{"var":"viewer.language"}," ",{"var":"timeOfDay"}]})",
    R"({"+":[{"var":"timeOfDay"},"1.5",{"var":"viewer.age"}]})",
    R"({"map":[{"var":"list"},{"*":[{"var":""},2]}]})",
    R"({"filter":[{"var":"list"},{">":[{"var":""},1]}]})",
    R"({"reduce":[{"var":"list"},{"+":[{"var":"current"},{"var":"accumulator"}]},0]})",
    R"({"all":[{"var":"list"},{"<":[{"var":""},3]}]})",
    R"({"some":[[1,2,3],{"==":[{"var":""},{"var":"timeOfDay"}]}]})",
    R"({"merge":[[1,2],{"var":"list"},3]})",
    R"({"in":["a",{"var":"device"}]})",
    R"({"in":[{"var":"timeOfDay"},[20,"20",[20]]]})",
    R"({"substr":[{"var":"device"},1]})",
    R"({"max":[{"var":"list"},{"var":"timeOfDay"}]})",
    R"([{"var":"device"},[1,{"var":"timeOfDay"}],"x"])",
    R"({"a":{"var":"device"},"b":1})",
    R"({"log":{"var":"device"}})",
    R"({"if":[true,{"nope":[{"var":"device"}]}]})",
    R"({"and":[true,{"var.length":1}]})",
    R"({"var.prototype.constructor":"device"})",
    R"({"cat":{"var":"o"}})",
};

const char* const kCompiledData[] = {
    R"({"viewer":{"language":"cy","age":30},"device":"tv","captions":true,"audioDescription":false,"timeOfDay":20,"list":[1,2,3],"keys":["device","zz","viewer"]})",
    R"({"viewer":{"language":"en","age":12},"device":"radio","captions":false,"audioDescription":true,"timeOfDay":"20","list":[],"o":{"toString":1}})",
    R"({"viewer":null,"device":["tv"],"timeOfDay":-1,"list":"abc","keys":null})",
    R"([1,2,3])",
    R"(null)",
    R"("device")",
};

}  // namespace

TEST_CASE("compiled programs: compile once, evaluate against many data objects, same as uncompiled") {
  int compared = 0;
  for (const char* rule_text : kCompiledRules) {
    const Value rule = parsed(rule_text);
    const std::shared_ptr<const Program> program = compile(rule);
    for (const char* data_text : kCompiledData) {
      const Value data = parsed(data_text);
      INFO("rule " << rule_text << " with data " << data_text);
      const EvalResult compiled = evaluate(*program, data);
      const EvalResult direct = evaluate(rule, data);
      CHECK(describe(compiled) == describe(direct));
      ++compared;
    }
  }
  CHECK(compared == 37 * 6);

  // Spot checks of the values themselves (json-logic-js's results).
  const auto program = compile(parsed(kCompiledRules[0]));
  CHECK(describe(evaluate(*program, parsed(kCompiledData[0]))) == "true");
  CHECK(describe(evaluate(*program, parsed(kCompiledData[1]))) == "false");
  CHECK(describe(evaluate(*program, parsed(R"({"viewer":{"language":"cy","age":16},"device":"desktop","captions":false,"timeOfDay":0})"))) == "false");
  CHECK(describe(evaluate(*program, parsed(R"({"viewer":{"language":"cy","age":16},"device":"desktop","captions":false,"timeOfDay":1})"))) == "true");
  const auto computed = compile(parsed(R"({"var":{"cat":["a",".b"]}})"));
  CHECK(describe(evaluate(*computed, parsed(R"({"a":{"b":42}})"))) == "42");
  CHECK(describe(evaluate(*computed, parsed(R"({"a":{"b":"x"}})"))) == "\"x\"");
  const auto failing = compile(parsed(R"({"or":[0,{"a/b~c":[{"q":1}]}]})"));
  CHECK(describe(evaluate(*failing, parsed("{}"))) == "error: Unrecognized operation q @/or/1/a~1b~0c/0");
}

TEST_CASE("compiled programs: limits, depth and the log sink behave as uncompiled") {
  const Value data = parsed(R"({"xs":[1,2,3,4,5,6,7,8,9,10],"s":"abcdef"})");
  const char* const rules[] = {
      R"({"map":[{"var":"xs"},{"+":[{"var":""},1]}]})",
      R"({"in":[{"var":"s.5"},["a","b","c","d","e","f"]]})",
      R"({"and":[{"!!":[{"var":"xs.length"}]},{"==":[{"var":"s.length"},6]},{"cat":[{"var":"s"},{"var":"s"}]}]})",
      R"([[[[1]]],{"var":"xs"}])",
  };
  for (const char* rule_text : rules) {
    const Value rule = parsed(rule_text);
    const auto program = compile(rule);
    for (uint64_t steps = 1; steps < 40; ++steps) {
      for (uint32_t depth = 0; depth < 5; ++depth) {
        Limits limits;
        limits.max_steps = steps;
        limits.max_depth = depth;
        limits.max_string_length = 8;
        limits.max_json_depth = 3 + depth % 2;
        INFO("rule " << rule_text << " steps " << steps << " depth " << depth);
        CHECK(describe(evaluate(*program, data, limits)) == describe(evaluate(rule, data, limits)));
      }
    }
  }
  std::vector<std::string> logged;
  LogSink sink{[](void* user, const Value& v) {
                 std::string json;
                 Limits limits;
                 Budget budget(limits);
                 to_json(v, json, budget);
                 static_cast<std::vector<std::string>*>(user)->push_back(json);
               },
               &logged};
  const auto program = compile(parsed(R"({"map":[{"var":"xs"},{"log":{"*":[{"var":""},{"var":""}]}}]})"));
  REQUIRE(evaluate(*program, parsed(R"({"xs":[1,2,3]})"), Limits{}, sink).ok);
  CHECK(logged == std::vector<std::string>{"1", "4", "9"});
}

TEST_CASE("compiled programs: reusable and thread-agnostic; fresh arrays every evaluation") {
  const Value rule = parsed(kCompiledRules[0]);
  const std::shared_ptr<const Program> program = compile(rule);
  const Value yes = parsed(kCompiledData[0]);
  const Value no = parsed(kCompiledData[1]);
  // The same program twice (and interleaved) gives the same results.
  for (int round = 0; round < 2; ++round) {
    CHECK(describe(evaluate(*program, yes)) == "true");
    CHECK(describe(evaluate(*program, no)) == "false");
  }
  // Several threads evaluating one program at once.
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const EvalResult r = evaluate(*program, (i + t) % 2 ? yes : no);
        if (!r.ok || logic_truthy(r.value) != ((i + t) % 2 == 1)) ++wrong[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(wrong == std::vector<int>(4, 0));

  // An array in the rule is a new array each time it is evaluated (JS identity), even when the
  // program is reused: two results never share one, and map's results are distinct arrays.
  const auto arrays = compile(parsed(R"([1,2])"));
  const EvalResult first = evaluate(*arrays, Value::null());
  const EvalResult second = evaluate(*arrays, Value::null());
  REQUIRE(first.ok);
  REQUIRE(second.ok);
  CHECK(first.value.identity() != second.value.identity());
  const auto distinct = compile(parsed(
      R"({"reduce":[{"map":[[1,2],[0]]},{"if":[{"===":[{"var":"current"},{"var":"accumulator"}]},"same",{"var":"current"}]},null]})"));
  CHECK(describe(evaluate(*distinct, Value::null())) == "[0]");
}
